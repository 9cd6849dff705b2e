"""The question adapter: the bundled file, how a bad or foreign one is refused, and its effect on search."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.embeddings import E5_PROVIDER
from assistant.retrieval.index import SearchIndex
from assistant.retrieval.query_adapter import BUNDLED, AdapterError, QueryAdapter, load_adapter
from tests.assistant.retrieval.conftest import HashingEmbeddings


def test_identity_keeps_the_vector_and_any_adapter_returns_unit_length() -> None:
    vector = np.array([3.0, 4.0, 0.0], dtype=np.float32)
    assert np.allclose(QueryAdapter(np.eye(3, dtype=np.float32), "m").apply(vector), [0.6, 0.8, 0.0])
    bent = QueryAdapter(np.array([[1, 0, 0], [0, 1, 0], [0, 2, 1]], dtype=np.float32), "m").apply(vector)
    assert np.isclose(np.linalg.norm(bent), 1.0) and bent[2] > 0
    assert not QueryAdapter(np.eye(3, dtype=np.float32), "m").apply(np.zeros(3)).any()


@pytest.mark.parametrize("matrix", [np.ones((2, 3)), np.ones(3), np.array([[1.0, np.nan], [0.0, 1.0]])])
def test_a_matrix_that_is_not_square_and_finite_is_refused(matrix: np.ndarray) -> None:
    with pytest.raises(AdapterError):
        QueryAdapter(matrix.astype(np.float32), "m")


def test_saved_and_read_back_with_its_model_and_notes(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    matrix = np.eye(8, dtype=np.float32) + rng.normal(0, 0.01, (8, 8)).astype(np.float32)
    QueryAdapter(matrix, "model-a", {"sets": ["own"]}).save(tmp_path / "a.npz")
    read = QueryAdapter.read(tmp_path / "a.npz")
    assert read.model_id == "model-a" and read.info == {"sets": ["own"]}
    # Kept as float16 differences from the identity: far finer than the adapter's own changes.
    assert np.abs(read.matrix - matrix).max() < 1e-5


def test_settings_name_the_bundled_file_none_or_a_path(tmp_path: Path) -> None:
    bundled = load_adapter("bundled", E5_PROVIDER)
    assert bundled is not None and bundled.dimension == 384 and bundled.info["questions"] > 500
    # It bends e5 only a little: close to the identity everywhere.
    assert np.abs(bundled.matrix - np.eye(384)).max() < 0.05
    assert load_adapter("none", E5_PROVIDER) is None and load_adapter("", E5_PROVIDER) is None
    QueryAdapter(np.eye(4, dtype=np.float32), "hashing-4").save(tmp_path / "mine.npz")
    mine = load_adapter(str(tmp_path / "mine.npz"), "hashing-4")
    assert mine is not None and mine.dimension == 4


def test_an_unusable_file_is_left_out_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert load_adapter(str(tmp_path / "missing.npz"), E5_PROVIDER) is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy file")
    assert load_adapter(str(broken), E5_PROVIDER) is None
    # Learned for another model: its numbers mean nothing for this one's vectors.
    assert load_adapter(str(BUNDLED), "sentence-transformers:other") is None
    QueryAdapter(np.eye(4, dtype=np.float32), E5_PROVIDER).save(tmp_path / "small.npz")
    assert load_adapter(str(tmp_path / "small.npz"), E5_PROVIDER, dimension=384) is None
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "missing.npz" in messages and "broken.npz" in messages and "không dùng" in messages


def test_search_asks_the_dense_index_with_the_adapted_question(tmp_path: Path, blld_chunks: list[Chunk]) -> None:
    embedder = HashingEmbeddings(dim=64, model_id="hashing-64")
    index = SearchIndex(tmp_path, embedder)
    index.sync(blld_chunks)
    plain = index.load()
    question = "nghi phep nam duoc may ngay"
    first = plain.search_dense(question, k=1)[0]
    # An adapter that sends this question towards another article's chunk: dense search follows it.
    target = next(c for c in blld_chunks if c.article != first.article)
    q = np.asarray(embedder.embed_query(plain.dense_query(question)), dtype=np.float32)
    p = np.asarray(embedder.embed_documents([target.index_text])[0], dtype=np.float32)
    matrix = 0.1 * np.eye(64, dtype=np.float32) + np.outer(p, q)
    index.adapter = QueryAdapter(matrix, "hashing-64")
    adapted = index.load()
    assert adapted.adapter is not None
    assert adapted.search_dense(question, k=1)[0].article == target.article
    assert plain.search_dense(question, k=1)[0].article == first.article
    index.close()
