"""The reranker's training script: the first-article rate and left-out scoring by set."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.reranker import FEATURES
from evals.train_reranker import first_rate, left_out

SCORE, DENSE_RANK = FEATURES.index("score"), FEATURES.index("dense_rank")


def _list(gold_first_in_dense: bool) -> tuple[np.ndarray, np.ndarray]:
    """Two candidates with the same search score; the gold one (second in search's order) leads dense search."""
    features = np.zeros((2, len(FEATURES)))
    features[:, SCORE] = 0.8
    features[1, DENSE_RANK] = 1.0 if gold_first_in_dense else 0.0
    features[0, DENSE_RANK] = 0.0 if gold_first_in_dense else 1.0
    return features, np.array([False, True])


def test_first_rate_reads_search_order_or_the_weights() -> None:
    lists = [_list(True), _list(True), _list(False)]
    assert first_rate(lists, None) == 0.0
    weights = np.zeros(len(FEATURES))
    weights[DENSE_RANK] = 1.0
    assert first_rate(lists, weights) == round(2 / 3, 3)
    assert first_rate([], None) == 0.0


def test_each_set_is_scored_by_weights_fitted_on_the_others() -> None:
    lists = [_list(True) for _ in range(30)]
    sets = ["a"] * 10 + ["b"] * 10 + ["c"] * 10
    figures = left_out(lists, sets)
    assert set(figures) == {"a", "b", "c"}
    for row in figures.values():
        assert row == {"first_before": 0.0, "first_after": 1.0, "questions": 10}
    # A set whose lesson contradicts the others' is not learned from itself.
    contrary = [*(_list(True) for _ in range(20)), *(_list(False) for _ in range(10))]
    assert left_out(contrary, sets)["c"]["first_after"] == 0.0
