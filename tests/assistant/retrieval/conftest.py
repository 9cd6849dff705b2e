"""Fixtures for the retrieval tests: embedders that count their work, and a real e5 index built once."""

from __future__ import annotations

import hashlib
import math

import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.embeddings import E5Embeddings, ModelEmbeddings
from assistant.vietnamese import Lexicon, syllables
from tests.assistant.retrieval.retrieval_sample import BLLD_ARTICLES, article_chunks


class CountingEmbeddings(ModelEmbeddings):
    """Wraps a real provider and counts what it is asked to embed (to prove the cache works)."""

    def __init__(self, inner: ModelEmbeddings, model_id: str | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.documents = 0
        self.queries = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries += 1
        return self.inner.embed_query(text)


class HashingEmbeddings(ModelEmbeddings):
    """A small deterministic bag-of-syllables embedder: fast, so index bookkeeping tests need no model."""

    def __init__(self, dim: int = 64, model_id: str = "hashing-64") -> None:
        self.dim = dim
        self.model_id = model_id

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for token in syllables(text):
            digest = hashlib.blake2b(token.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="session")
def blld_chunks() -> list[Chunk]:
    return article_chunks(BLLD_ARTICLES)


@pytest.fixture(scope="session")
def e5() -> E5Embeddings:
    return E5Embeddings()
