"""Weighted fusion of the BM25 and dense rankings, with and without every chunk's own scores."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.hybrid import Scores, _weighted_fusion
from assistant.retrieval.lexical import top_rows

# Rows 0-4. BM25 lists its two best (rows 0, 1); dense lists rows 2, 0, 3.
BM25 = np.array([10.0, 8.0, 6.0, 0.0, -np.inf])
COSINE = np.array([0.90, 0.80, 0.95, 0.85, 0.99])
LEXICAL = [(0, 10.0), (1, 8.0)]
DENSE = [(2, 0.95), (0, 0.90), (3, 0.85)]


def test_without_scores_a_chunk_missing_from_one_list_gets_nothing_from_it() -> None:
    fused = dict(_weighted_fusion(LEXICAL, DENSE, 0.6))
    # Row 2 leads dense search but is past BM25's cut: only its dense part counts.
    assert fused[2] == pytest.approx(0.4 * (0.95 - 0.85) / 0.10)
    assert fused[0] == pytest.approx(0.6 * 1.0 + 0.4 * 0.5)
    assert fused[1] == pytest.approx(0.6 * 0.8)


def test_with_scores_a_chunk_missing_from_one_list_gets_its_own_score_there() -> None:
    fused = dict(_weighted_fusion(LEXICAL, DENSE, 0.6, Scores(BM25, COSINE)))
    assert fused[2] == pytest.approx(0.4 * 1.0 + 0.6 * 6.0 / 10.0)
    # Row 1 was not in dense's list: its cosine is scaled like the listed ones (0.80 is below their lowest, 0.85).
    assert fused[1] == pytest.approx(0.6 * 0.8)
    # Rows in both lists score as before.
    assert fused[0] == pytest.approx(0.6 * 1.0 + 0.4 * 0.5)
    assert [row for row, _ in _weighted_fusion(LEXICAL, DENSE, 0.6)][:3] == [0, 1, 2]
    assert [row for row, _ in _weighted_fusion(LEXICAL, DENSE, 0.6, Scores(BM25, COSINE))][:3] == [0, 2, 1]


def test_a_filtered_out_chunk_is_never_filled_in() -> None:
    # Row 4 is masked out (-inf) for BM25; even listed by dense, BM25 adds nothing for it.
    fused = dict(_weighted_fusion(LEXICAL, [(4, 0.99), (2, 0.95)], 0.6, Scores(BM25, COSINE)))
    assert fused[4] == pytest.approx(0.4 * 1.0)
    assert fused[2] == pytest.approx(0.6 * 0.6)


def test_without_vectors_in_memory_only_bm25_is_filled_in() -> None:
    fused = dict(_weighted_fusion(LEXICAL, DENSE, 0.6, Scores(BM25, None)))
    assert fused[2] == pytest.approx(0.4 * 1.0 + 0.6 * 0.6)
    assert fused[1] == pytest.approx(0.6 * 0.8)


def test_top_rows_keeps_the_best_in_order_and_drops_what_cannot_count() -> None:
    assert top_rows(BM25, 3) == [(0, 10.0), (1, 8.0), (2, 6.0)]
    assert top_rows(BM25, 10) == [(0, 10.0), (1, 8.0), (2, 6.0)]
    assert top_rows(np.array([0.2, -np.inf, -0.1]), 5, positive_only=False) == [
        (0, pytest.approx(0.2)), (2, pytest.approx(-0.1))
    ]
    assert top_rows(np.zeros(0), 3) == []
