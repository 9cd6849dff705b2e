"""BM25 (bm25s) over folded syllables and segmented words.

Documents are segmented by underthesea at index time. Questions are segmented too, but an unaccented
question ("nghi phep nam") cannot be: its adjacent syllables are joined whenever the join is a word of the
index ("nghi_phep"), so it scores like the accented one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from assistant.vietnamese import index_tokens, syllables

log = logging.getLogger(__name__)

MAX_NGRAM = 3


class LexicalIndex:
    """A BM25 index over a fixed list of chunk ids, rebuilt whole when the chunk set changes (< 1 s for
    5,000 chunks once their tokens are known)."""

    def __init__(self, ids: Sequence[str], model: bm25s.BM25 | None) -> None:
        self.ids = list(ids)
        self.model = model
        self.vocab: dict[str, int] = dict(model.vocab_dict) if model is not None else {}
        self.idf = self._idf() if model is not None else {}

    @classmethod
    def build(cls, ids: Sequence[str], tokens: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
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
        tokens = index_tokens(text)
        parts = syllables(text)
        for size in range(2, MAX_NGRAM + 1):
            for start in range(len(parts) - size + 1):
                joined = "_".join(parts[start : start + size])
                if joined in self.vocab:
                    tokens.append(joined)
        return [t for t in tokens if t in self.vocab]

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
        scores = self.scores(text, mask)
        if scores.size == 0:
            return []
        k = min(k, scores.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        if self.model is not None:
            self.model.save(str(directory / "bm25"), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        ids_file = directory / "ids.json"
        if not ids_file.exists():
            return None
        ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if not ids:
            return cls([], None)
        model = bm25s.BM25.load(str(directory / "bm25"), mmap=False, show_progress=False, verbosity=0)
        return cls(ids, model)
