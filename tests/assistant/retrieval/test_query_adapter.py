"""The query adapter: the fit, the stored file, the blend, and how search and the settings pick it up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.embeddings import E5_PROVIDER
from assistant.retrieval.index import SearchIndex
from assistant.retrieval.query_adapter import DEFAULT_PATH, QueryAdapter, fit
from tests.assistant.retrieval.conftest import HashingEmbeddings

TODAY = date(2026, 11, 28)


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_fit_learns_the_map_from_questions_to_their_targets() -> None:
    rng = np.random.default_rng(0)
    questions = _unit_rows(rng.normal(size=(400, 8)))
    rotation, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    targets = questions @ rotation.T
    matrix = fit(questions, targets, ridge=1e-3)
    assert np.allclose(matrix, rotation, atol=1e-2)


def test_a_large_ridge_keeps_the_vectors_where_they_were() -> None:
    rng = np.random.default_rng(1)
    questions = _unit_rows(rng.normal(size=(50, 8)))
    targets = _unit_rows(rng.normal(size=(50, 8)))
    assert np.allclose(fit(questions, targets, ridge=1e6), np.eye(8), atol=1e-3)


def test_the_blend_mixes_mapped_and_original_vectors_at_unit_length() -> None:
    swap = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    vector = np.array([1.0, 0.0], dtype=np.float32)
    assert np.allclose(QueryAdapter("m", swap, 1.0, {}).adapt(vector), [0.0, 1.0])
    assert np.allclose(QueryAdapter("m", swap, 0.0, {}).adapt(vector), [1.0, 0.0])
    half = QueryAdapter("m", swap, 0.5, {}).adapt(vector)
    assert np.allclose(half, [2**-0.5, 2**-0.5]) and abs(np.linalg.norm(half) - 1.0) < 1e-6
    # A vector of another size (another model's) is left alone rather than mangled.
    assert np.allclose(QueryAdapter("m", swap, 1.0, {}).adapt(np.ones(3)), np.ones(3))


def test_saved_adapter_loads_back_only_for_its_embedding_model(tmp_path: Path) -> None:
    matrix = np.arange(16, dtype=np.float32).reshape(4, 4)
    path = tmp_path / "adapter.npz"
    QueryAdapter("hashing-4", matrix, 0.75, {"questions": 3}).save(path)
    loaded = QueryAdapter.load(path, "hashing-4")
    assert loaded is not None
    assert np.array_equal(loaded.matrix, matrix) and loaded.blend == 0.75 and loaded.about == {"questions": 3}
    assert QueryAdapter.load(path, E5_PROVIDER) is None


def test_a_missing_broken_or_misshapen_file_means_no_adapter(tmp_path: Path) -> None:
    assert QueryAdapter.load(tmp_path / "absent.npz", "m") is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy archive")
    assert QueryAdapter.load(broken, "m") is None
    oblong = tmp_path / "oblong.npz"
    QueryAdapter("m", np.ones((2, 3), dtype=np.float32), 1.0, {}).save(oblong)
    assert QueryAdapter.load(oblong, "m") is None


def test_the_shipped_adapter_is_for_the_default_embeddings_and_never_saw_the_evaluation_sets() -> None:
    adapter = QueryAdapter.load(DEFAULT_PATH, E5_PROVIDER)
    assert adapter is not None
    assert adapter.matrix.shape == (384, 384) and 0.0 < adapter.blend <= 1.0
    sets = adapter.about["sets"]
    assert not {"levietsangg", "mrhao165", "own"} & set(sets)
    assert not [name for name in sets if name.startswith("heldout")]


def _chunk(number: int, text: str) -> Chunk:
    return Chunk(
        id=f"c{number}", provision_id=f"p{number}", work_number="45/2019/QH14", version_label="45/2019/QH14",
        document_title="Bộ luật Lao động", article=number, article_label=str(number), clause=None, point=None,
        heading=f"Điều {number}.", text=text, valid_from=date(2021, 1, 1), valid_to=None, scope_unit_code=None,
    )


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    embeddings = HashingEmbeddings()
    index = SearchIndex(tmp_path, embeddings)
    index.sync([_chunk(97, "kỳ hạn trả lương hằng tháng"), _chunk(113, "nghỉ hằng năm mười hai ngày làm việc")])
    index.close()
    return tmp_path


def _steering(embeddings: HashingEmbeddings, question: str, target: str) -> np.ndarray:
    """A rank-one map sending the question's vector onto the target text's."""
    q = np.asarray(embeddings.embed_query(question), dtype=np.float32)
    t = np.asarray(embeddings.embed_documents([target])[0], dtype=np.float32)
    return np.outer(t, q) / float(q @ q)


@pytest.mark.parametrize("in_memory", [True, False])
def test_search_uses_the_adapter_stored_for_its_embedding_model(
    index_dir: Path, tmp_path: Path, in_memory: bool
) -> None:
    embeddings = HashingEmbeddings()
    question = "kỳ hạn trả lương"
    plain = SearchIndex(index_dir, embeddings).load(vectors_in_memory=in_memory)
    assert plain.adapter is None
    assert plain.search_dense(question, k=2, as_of=TODAY)[0].article == 97
    path = tmp_path / "adapter.npz"
    steer = _steering(embeddings, question, "Điều 113.\nnghỉ hằng năm mười hai ngày làm việc")
    QueryAdapter(embeddings.model_id, steer, 1.0, {}).save(path)
    adapted = SearchIndex(index_dir, embeddings, adapter_path=path).load(vectors_in_memory=in_memory)
    assert adapted.adapter is not None
    assert adapted.search_dense(question, k=2, as_of=TODAY)[0].article == 113
    # Fitted on another model's vectors: not used.
    QueryAdapter("another-model", steer, 1.0, {}).save(path)
    assert SearchIndex(index_dir, embeddings, adapter_path=path).load().adapter is None
