"""Hybrid retrieval over legal provisions: BM25 + dense vectors, filtered by date in force and scope."""

from assistant.retrieval.chunks import Chunk, chunks_from_provision
from assistant.retrieval.embeddings import make_embeddings
from assistant.retrieval.hybrid import FusionConfig, Hit, HybridRetriever
from assistant.retrieval.index import SearchIndex, SyncReport

__all__ = [
    "Chunk",
    "FusionConfig",
    "Hit",
    "HybridRetriever",
    "SearchIndex",
    "SyncReport",
    "chunks_from_provision",
    "make_embeddings",
]
