"""BM25 (bm25s) over folded syllables and syllable pairs (see :func:`assistant.vietnamese.index_tokens`).

Documents and questions are tokenized the same way, so "nghi phep nam" and "nghỉ phép năm" score alike.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from assistant.retrieval.chunks import Chunk
from assistant.vietnamese import index_tokens

log = logging.getLogger(__name__)

# Bump when chunk_tokens() changes: an index saved with other tokens is then rebuilt, not loaded.
TOKENS_VERSION = "3"
# The article heading counts this many extra times: "Quyền của đoàn viên công đoàn" asked in those words
# should find the article of that name first. Measured: BM25 recall@5 on the evaluators' own set
# 0.86 → 0.90, MRR@10 of the hybrid over all sets 0.851 → 0.855.
HEADING_REPEAT = 2


def chunk_tokens(chunk: Chunk) -> list[str]:
    return index_tokens(chunk.index_text) + index_tokens(chunk.heading) * HEADING_REPEAT


class LexicalIndex:
    """A BM25 index over a fixed list of chunk ids, rebuilt whole when the chunk set changes (< 1 s for
    5,000 chunks once their tokens are known)."""

    def __init__(self, ids: Sequence[str], model: bm25s.BM25 | None) -> None:
        self.ids = list(ids)
        self.model = model
        self.vocab: dict[str, int] = dict(model.vocab_dict) if model is not None else {}
        self.idf = self._idf() if model is not None else {}

    @classmethod
    def build(
        cls, ids: Sequence[str], tokens: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75
    ) -> LexicalIndex:
        if not ids:
            return cls([], None)
        model = bm25s.BM25(k1=k1, b=b)
        model.index([list(t) or [""] for t in tokens], show_progress=False)
        return cls(ids, model)

    def _idf(self) -> dict[str, float]:
        """Document frequency based weights, used to pick the clause or point that matches best."""
        assert self.model is not None
        indptr = self.model.scores["indptr"]
        n_docs = max(int(self.model.scores["num_docs"]), 1)
        df = np.diff(indptr)
        weights = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        return {token: float(weights[i]) for token, i in self.vocab.items() if i < len(weights)}

    def query_tokens(self, text: str) -> list[str]:
        return [t for t in index_tokens(text) if t in self.vocab]

    def scores(self, text: str, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk; masked-out chunks get -inf so no cut-off can let them through."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        tokens = self.query_tokens(text)
        if tokens:
            result = np.asarray(self.model.get_scores(tokens), dtype=np.float32)
        else:
            result = np.zeros(len(self.ids), dtype=np.float32)
        if mask is not None:
            result = np.where(mask, result, -np.inf).astype(np.float32)
        return result

    def search(self, text: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Rows and scores of the best k chunks with a positive score, allowed by ``mask``."""
        return top_rows(self.scores(text, mask), k)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(str(directory / "bm25"), show_progress=False)
        # Written last: a crash before this leaves no index rather than a half-written one.
        meta = {"ids": self.ids, "tokens_version": TOKENS_VERSION}
        (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    @staticmethod
    def exists(directory: Path) -> bool:
        meta = directory / "meta.json"
        if not meta.exists():
            return False
        return bool(json.loads(meta.read_text(encoding="utf-8")).get("tokens_version") == TOKENS_VERSION)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when there is none or it was built with other tokens."""
        if not cls.exists(directory):
            return None
        ids = json.loads((directory / "meta.json").read_text(encoding="utf-8"))["ids"]
        if not ids:
            return cls([], None)
        model = bm25s.BM25.load(str(directory / "bm25"), mmap=False, show_progress=False, verbosity=0)
        return cls(ids, model)


def top_rows(scores: np.ndarray, k: int, positive_only: bool = True) -> list[tuple[int, float]]:
    """The best ``k`` rows by score, best first (ties in row order), without -inf rows (nor, by default, 0)."""
    k = min(k, scores.size)
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    floor = 0.0 if positive_only else -np.inf
    return [(int(row), float(scores[row])) for row in top if scores[row] > floor]
