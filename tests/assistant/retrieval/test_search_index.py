"""Index maintenance: sync keeps both indexes equal to the chunk set; caches; model change; reload."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.index import SearchIndex
from tests.assistant.retrieval.conftest import CountingEmbeddings, HashingEmbeddings


def _index(data_dir: Path, embedder: CountingEmbeddings) -> SearchIndex:
    return SearchIndex(data_dir, embedder)


def _ids_in_both(index: SearchIndex) -> tuple[set[str], set[str]]:
    return set(index.store.hashes()), set(index.dense.stored_hashes())


def test_sync_adds_updates_and_removes_in_both_indexes(tmp_path: Path, blld_chunks: list[Chunk]) -> None:
    embedder = CountingEmbeddings(HashingEmbeddings())
    index = _index(tmp_path, embedder)
    first = blld_chunks[:30]
    report = index.sync(first)
    assert (report.added, report.updated, report.removed) == (30, 0, 0)
    assert _ids_in_both(index) == ({c.id for c in first},) * 2

    # Drop five, change one, add five.
    changed = replace(first[10], text=first[10].text + " (sửa đổi)")
    second = [*first[5:10], changed, *first[11:], *blld_chunks[30:35]]
    report = index.sync(second)
    assert (report.added, report.updated, report.removed) == (5, 1, 5)
    assert _ids_in_both(index) == ({c.id for c in second},) * 2
    retriever = index.load()
    assert {c.id for c in retriever.table.chunks} == {c.id for c in second}
    assert index.counts() == {"lexical": len(second), "dense": len(second)}


def test_unchanged_chunks_cost_no_embedding(tmp_path: Path, blld_chunks: list[Chunk]) -> None:
    embedder = CountingEmbeddings(HashingEmbeddings())
    index = _index(tmp_path, embedder)
    index.sync(blld_chunks)
    embedded = embedder.documents
    assert embedded > 0

    report = index.sync(blld_chunks)
    assert embedder.documents == embedded
    assert (report.added, report.updated, report.removed, report.embedded) == (0, 0, 0, 0)

    # A full rebuild re-adds everything, but the vectors come from the cache.
    report = index.rebuild(blld_chunks)
    assert report.added == len(blld_chunks)
    assert embedder.documents == embedded
    index.close()

    # So does a new process on the same data dir after Chroma lost its vectors.
    fresh = CountingEmbeddings(HashingEmbeddings())
    reopened = _index(tmp_path, fresh)
    reopened.dense.delete(list(reopened.dense.stored_hashes()))
    reopened.sync(blld_chunks)
    assert fresh.documents == 0
    assert reopened.counts()["dense"] == len(blld_chunks)


def test_a_new_model_re_embeds_everything_and_says_so(
    tmp_path: Path, blld_chunks: list[Chunk], caplog: pytest.LogCaptureFixture
) -> None:
    old = CountingEmbeddings(HashingEmbeddings(dim=64, model_id="hashing-64"))
    _index(tmp_path, old).sync(blld_chunks)

    new = CountingEmbeddings(HashingEmbeddings(dim=32, model_id="hashing-32"))
    with caplog.at_level(logging.WARNING):
        index = _index(tmp_path, new)
    assert "hashing-64" in caplog.text and "hashing-32" in caplog.text
    assert index.counts()["dense"] == 0
    index.sync(blld_chunks)
    assert new.documents == len({c.index_text for c in blld_chunks})
    assert index.counts()["dense"] == len(blld_chunks)
    hits = index.load().search_dense("nghỉ hằng năm", k=3)
    assert hits


def test_interrupted_dense_side_is_repaired(tmp_path: Path, blld_chunks: list[Chunk]) -> None:
    index = _index(tmp_path, CountingEmbeddings(HashingEmbeddings()))
    index.sync(blld_chunks)
    index.dense.delete([c.id for c in blld_chunks[:7]])
    index.sync(blld_chunks)
    assert _ids_in_both(index) == ({c.id for c in blld_chunks},) * 2


def test_reload_from_disk_is_fast_and_identical(tmp_path: Path, blld_chunks: list[Chunk]) -> None:
    index = _index(tmp_path, CountingEmbeddings(HashingEmbeddings()))
    index.sync(blld_chunks)
    before = index.load().search("nghi phep nam duoc may ngay", k=5)
    index.close()

    started = time.perf_counter()
    reopened = _index(tmp_path, CountingEmbeddings(HashingEmbeddings()))
    retriever = reopened.load()
    assert time.perf_counter() - started < 5
    assert retriever.search("nghi phep nam duoc may ngay", k=5) == before
    assert len(retriever.table.chunks) == len(blld_chunks)


def test_empty_index_searches_return_nothing(tmp_path: Path) -> None:
    retriever = _index(tmp_path, CountingEmbeddings(HashingEmbeddings())).load()
    assert retriever.search("lương") == []
    assert retriever.search_bm25("lương") == []
    assert retriever.search_dense("lương") == []


def test_sync_from_another_thread(tmp_path: Path, blld_chunks: list[Chunk]) -> None:
    # The API builds the index at start-up and a curator's upload syncs it from a request thread.
    index = _index(tmp_path, CountingEmbeddings(HashingEmbeddings()))
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(index.sync, blld_chunks[:10]).result()
    assert report.added == 10
    assert index.counts()["lexical"] == 10
