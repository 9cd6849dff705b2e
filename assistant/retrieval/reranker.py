"""A learned order for the articles search found: a linear score over what both rankings say about each one.

The fused score is one fixed mix of BM25 and cosine. What else each ranking knows (how high it placed the article,
how many of its clauses it found, whether the article is a decree or a penalty decree, whether the question spells
out its title) also tells which article answers. ``make train-reranker`` (``evals/train_reranker.py``) fits the
weights on the colloquial tuning sets, with each set's cosines taken from a query adapter fitted without it, so
that the weights do not learn to trust an adapter on questions it has seen. The reranker only reorders: every hit
keeps its fused score, which the answering code compares between articles.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.softmax_fit import fit_softmax

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "reranker.json"
# Articles reordered per question, best fused first: the gold article of a tuning question is beyond 40 almost never.
CANDIDATES = 40
# Counts of an article's chunks in each ranking stop mattering beyond this.
MAX_CHUNKS = 5
FEATURES = (
    "score",  # fused score with the title bonus and the penalty-decree factor, as search ranks without reranker
    "fused",  # fused score of the article's best chunk
    "bm25",  # that chunk's BM25 score over the question's best
    "cosine",  # that chunk's cosine, min-max scaled over dense search's candidates
    "title",  # the question spells out the article's whole title
    "penalty_unasked",  # a penalty decree's article, the question not asking about a penalty
    "penalty_asked",  # the same, the question asking one ("bị phạt bao nhiêu")
    "decree",  # a decree (Nghị định), not a law
    "bm25_chunks",  # how many of the article's chunks BM25 found (at most MAX_CHUNKS, scaled to 1)
    "dense_chunks",  # the same for dense search
    "bm25_rank",  # 1 / (1 + the article's place in BM25's ranking)
    "dense_rank",  # the same for dense search
)


@dataclass(frozen=True)
class ArticleEvidence:
    """What search knows about one candidate article, in the order of ``FEATURES``."""

    score: float
    fused: float
    bm25: float
    cosine: float
    title: bool
    penalty_document: bool
    asks_penalty: bool
    decree: bool
    bm25_chunks: int
    dense_chunks: int
    bm25_rank: int | None
    dense_rank: int | None

    def vector(self) -> list[float]:
        penalty = float(self.penalty_document)
        return [
            self.score,
            self.fused,
            self.bm25,
            self.cosine,
            float(self.title),
            0.0 if self.asks_penalty else penalty,
            penalty if self.asks_penalty else 0.0,
            float(self.decree),
            min(self.bm25_chunks, MAX_CHUNKS) / MAX_CHUNKS,
            min(self.dense_chunks, MAX_CHUNKS) / MAX_CHUNKS,
            _rank_feature(self.bm25_rank),
            _rank_feature(self.dense_rank),
        ]


def _rank_feature(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (1 + rank)


def feature_matrix(evidence: Sequence[ArticleEvidence]) -> np.ndarray:
    return np.asarray([e.vector() for e in evidence], dtype=np.float64).reshape(len(evidence), len(FEATURES))


@dataclass(frozen=True)
class ArticleReranker:
    embedding_model: str
    weights: np.ndarray
    about: dict[str, Any]

    def scores(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features @ self.weights, dtype=np.float64)

    def order(self, evidence: Sequence[ArticleEvidence], extra: Sequence[float] | None = None) -> list[int]:
        """Positions of ``evidence``, best first (ties keep the given order); ``extra`` is added to each score
        (the question bank's vote)."""
        if not evidence:
            return []
        scores = self.scores(feature_matrix(evidence))
        if extra is not None:
            scores = scores + np.asarray(extra, dtype=np.float64)
        return [int(i) for i in np.argsort(-scores, kind="stable")]

    def save(self, path: Path) -> None:
        data = {
            "embedding_model": self.embedding_model,
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "about": self.about,
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path, embedding_model: str) -> ArticleReranker | None:
        """The reranker at ``path`` if it was fitted on cosines of ``embedding_model`` with today's features;
        None (with a log line) otherwise."""
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = np.asarray(data["weights"], dtype=np.float64)
            features = tuple(data["features"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("Bộ xếp hạng lại %s không đọc được (%s): bỏ qua", path, exc)
            return None
        if features != FEATURES or weights.shape != (len(FEATURES),) or not np.all(np.isfinite(weights)):
            log.warning("Bộ xếp hạng lại %s không khớp các đặc trưng hiện có: bỏ qua", path)
            return None
        if data.get("embedding_model") != embedding_model:
            log.info(
                "Bộ xếp hạng lại %s được huấn luyện cho %s, không dùng với %s",
                path,
                data.get("embedding_model"),
                embedding_model,
            )
            return None
        return cls(embedding_model=embedding_model, weights=weights, about=dict(data.get("about") or {}))


def fit(lists: Sequence[tuple[np.ndarray, np.ndarray]], l2: float, steps: int = 400, rate: float = 0.3) -> np.ndarray:
    """Weights maximising the softmax likelihood of each list's gold articles, with an L2 penalty. Starts from
    ranking by the ``score`` feature alone, which is what search does without a reranker."""
    start = np.zeros(len(FEATURES))
    start[0] = 5.0
    return fit_softmax(lists, start, l2, steps, rate)
