"""The article reranker: the fit, the stored file, and how search and the settings pick it up."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.embeddings import E5_PROVIDER
from assistant.retrieval.index import SearchIndex
from assistant.retrieval.reranker import (
    DEFAULT_PATH,
    FEATURES,
    ArticleEvidence,
    ArticleReranker,
    feature_matrix,
    fit,
)
from tests.assistant.retrieval.conftest import HashingEmbeddings

TODAY = date(2026, 11, 28)
PLAIN = ArticleEvidence(
    score=0.9, fused=0.9, bm25=0.5, cosine=0.5, title=False, penalty_document=False, asks_penalty=False,
    decree=False, bm25_chunks=1, dense_chunks=1, bm25_rank=0, dense_rank=0,
)


def _weights(**named: float) -> np.ndarray:
    return np.array([named.get(name, 0.0) for name in FEATURES])


def test_features_follow_the_declared_order() -> None:
    evidence = replace(PLAIN, penalty_document=True, asks_penalty=True, bm25_chunks=9, dense_rank=None, decree=True)
    row = dict(zip(FEATURES, feature_matrix([evidence])[0], strict=True))
    assert row["score"] == 0.9 and row["penalty_asked"] == 1.0 and row["penalty_unasked"] == 0.0
    assert row["bm25_chunks"] == 1.0  # capped
    assert row["dense_rank"] == 0.0 and row["bm25_rank"] == 1.0 and row["decree"] == 1.0
    assert feature_matrix([]).shape == (0, len(FEATURES))


def test_fit_learns_what_tells_the_gold_article_apart() -> None:
    """Every list has the same search score; only the dense ranking tells the gold article, which is never first."""
    rng = np.random.default_rng(0)
    lists = []
    for _ in range(60):
        gold_rank, other_rank = sorted(rng.choice(20, size=2, replace=False))
        candidates = [replace(PLAIN, dense_rank=int(other_rank)), replace(PLAIN, dense_rank=int(gold_rank))]
        lists.append((feature_matrix(candidates), np.array([False, True])))
    weights = fit(lists, l2=0.1)
    assert weights[FEATURES.index("dense_rank")] > 1.0
    reranker = ArticleReranker("m", weights, {})
    assert reranker.order([replace(PLAIN, dense_rank=7), replace(PLAIN, dense_rank=2)]) == [1, 0]


def test_without_usable_lists_the_fit_keeps_search_order() -> None:
    no_gold = (feature_matrix([PLAIN, PLAIN]), np.array([False, False]))
    assert np.array_equal(fit([no_gold], l2=1.0), _weights(score=5.0))


def test_the_order_is_stable_and_follows_the_weights() -> None:
    reranker = ArticleReranker("m", _weights(score=1.0), {})
    evidence = [replace(PLAIN, score=0.5), replace(PLAIN, score=0.9), replace(PLAIN, score=0.5)]
    assert reranker.order(evidence) == [1, 0, 2]
    assert reranker.order([]) == []
    assert reranker.order(evidence, [0.0, 0.0, 1e6]) == [2, 1, 0]


def test_saved_reranker_loads_back_only_for_its_model_and_features(tmp_path: Path) -> None:
    path = tmp_path / "reranker.json"
    weights = np.linspace(-1, 1, len(FEATURES))
    ArticleReranker("hashing-4", weights, {"questions": 3}).save(path)
    loaded = ArticleReranker.load(path, "hashing-4")
    assert loaded is not None and np.allclose(loaded.weights, weights) and loaded.about == {"questions": 3}
    assert ArticleReranker.load(path, E5_PROVIDER) is None
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "features": data["features"][:-1]}), encoding="utf-8")
    assert ArticleReranker.load(path, "hashing-4") is None
    path.write_text(json.dumps({**data, "weights": [float("nan")] * len(FEATURES)}), encoding="utf-8")
    assert ArticleReranker.load(path, "hashing-4") is None
    path.write_text("{not json", encoding="utf-8")
    assert ArticleReranker.load(path, "hashing-4") is None
    assert ArticleReranker.load(tmp_path / "absent.json", "hashing-4") is None


def test_the_shipped_reranker_is_for_the_default_embeddings_and_never_saw_the_evaluation_sets() -> None:
    from evals.train_adapter import TRAINING_SETS

    reranker = ArticleReranker.load(DEFAULT_PATH, E5_PROVIDER)
    assert reranker is not None
    sets = reranker.about["sets"]
    assert sets == list(TRAINING_SETS)
    assert not {"levietsangg", "mrhao165", "own", "own_scope"} & set(sets)
    assert not [name for name in sets if name.startswith("heldout")]
    figures = reranker.about["left_out_each_set"]
    before = sum(f["first_before"] * f["questions"] for f in figures.values())
    after = sum(f["first_after"] * f["questions"] for f in figures.values())
    assert after > before, "left out in turn, the reranker must rank gold articles first more often than search"


def _chunk(number: int, text: str, work: str = "45/2019/QH14") -> Chunk:
    return Chunk(
        id=f"{work}-{number}", provision_id=f"{work}-{number}", work_number=work, version_label=work,
        document_title="Nghị định" if "NĐ" in work else "Bộ luật Lao động", article=number,
        article_label=str(number), clause=None, point=None, heading=f"Điều {number}.", text=text,
        valid_from=date(2021, 1, 1), valid_to=None, scope_unit_code=None,
    )


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    index = SearchIndex(tmp_path / "index", HashingEmbeddings())
    index.sync([
        _chunk(97, "kỳ hạn trả lương hằng tháng, trả lương đúng hạn, trả lương"),
        _chunk(54, "trả lương chậm thì phải trả thêm tiền lãi", work="145/2020/NĐ-CP"),
    ])
    index.close()
    return tmp_path / "index"


@pytest.mark.parametrize("in_memory", [True, False])
def test_search_reorders_articles_with_the_stored_reranker_and_keeps_their_scores(
    index_dir: Path, tmp_path: Path, in_memory: bool
) -> None:
    embeddings = HashingEmbeddings()
    question = "trả lương"
    plain = SearchIndex(index_dir, embeddings).load(vectors_in_memory=in_memory)
    assert plain.reranker is None
    before = plain.search(question, k=2, as_of=TODAY)
    assert [h.article for h in before] == [97, 54]
    path = tmp_path / "reranker.json"
    ArticleReranker(embeddings.model_id, _weights(decree=1.0), {}).save(path)
    reranked = SearchIndex(index_dir, embeddings, reranker_path=path).load(vectors_in_memory=in_memory)
    assert reranked.reranker is not None
    after = reranked.search(question, k=2, as_of=TODAY)
    assert [h.article for h in after] == [54, 97]
    assert {h.article: h.score for h in after} == {h.article: h.score for h in before}
    candidates = reranked.article_candidates(question, as_of=TODAY)
    assert [key for key, _ in candidates] == [("45/2019/QH14", 97), ("145/2020/NĐ-CP", 54)]
    assert [e.decree for _, e in candidates] == [False, True]
    # An article the question names itself still comes first.
    assert reranked.search(f"Điều 97 {question}", k=2, as_of=TODAY)[0].article == 97
    ArticleReranker("another-model", _weights(decree=1.0), {}).save(path)
    assert SearchIndex(index_dir, embeddings, reranker_path=path).load().reranker is None
