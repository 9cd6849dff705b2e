"""BM25 over folded, segmented tokens: unaccented questions, masks, and a save/load round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.lexical import LexicalIndex, chunk_tokens
from assistant.vietnamese import index_tokens


@pytest.fixture(scope="module")
def lexical(blld_chunks: list[Chunk]) -> LexicalIndex:
    return LexicalIndex.build([c.id for c in blld_chunks], [chunk_tokens(c) for c in blld_chunks])


def _articles(index: LexicalIndex, chunks: list[Chunk], rows: list[tuple[int, float]]) -> list[int]:
    by_id = {c.id: c for c in chunks}
    return [by_id[index.ids[row]].article for row, _ in rows]


def test_finds_the_article_with_or_without_marks(lexical: LexicalIndex, blld_chunks: list[Chunk]) -> None:
    accented = lexical.search("số ngày nghỉ hằng năm của người lao động", 5)
    plain = lexical.search("so ngay nghi hang nam cua nguoi lao dong", 5)
    assert set(_articles(lexical, blld_chunks, accented)[:2]) == {113, 114}
    assert plain == accented


def test_unaccented_query_gets_the_same_tokens(lexical: LexicalIndex) -> None:
    plain = lexical.query_tokens("nguoi su dung lao dong")
    assert "lao_dong" in plain
    assert lexical.query_tokens("người sử dụng lao động") == plain
    assert "xyzzy" not in lexical.query_tokens("xyzzy lao động")


def test_mask_removes_chunks_even_when_k_exceeds_what_is_left(lexical: LexicalIndex, blld_chunks: list[Chunk]) -> None:
    allowed = np.array([c.article != 25 for c in blld_chunks])
    rows = lexical.search("thời gian thử việc", k=len(blld_chunks) + 10, mask=allowed)
    assert rows
    assert 25 not in _articles(lexical, blld_chunks, rows)
    nothing = lexical.search("thời gian thử việc", k=5, mask=np.zeros(len(blld_chunks), dtype=bool))
    assert nothing == []


def test_unknown_words_score_nothing(lexical: LexicalIndex) -> None:
    assert lexical.search("xyzzy qwerty", 5) == []


def test_save_and_load(tmp_path: Path, lexical: LexicalIndex, blld_chunks: list[Chunk]) -> None:
    lexical.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert loaded is not None
    assert loaded.ids == lexical.ids
    query = "nghỉ hằng năm mười hai ngày"
    assert loaded.search(query, 5) == lexical.search(query, 5)
    assert LexicalIndex.load(tmp_path / "missing") is None


def test_empty_index() -> None:
    empty = LexicalIndex.build([], [])
    assert empty.search("lương", 5) == []


def test_heading_words_weigh_more(lexical: LexicalIndex, blld_chunks: list[Chunk]) -> None:
    first = blld_chunks[0]  # Điều 13. Hợp đồng lao động
    assert chunk_tokens(first).count("hop_dong") > index_tokens(first.index_text).count("hop_dong")
    # Asked in the words of a heading, the article with that heading comes first.
    found = _articles(lexical, blld_chunks, lexical.search("nghỉ việc riêng, nghỉ không hưởng lương", 3))
    assert found[0] == 115
