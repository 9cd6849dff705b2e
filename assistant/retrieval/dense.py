"""Vectors in Chroma through langchain-chroma: an embedded PersistentClient, or a Chroma server by URL.

Chroma always receives our embedding function; its own default would try to download a model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaClientSettings
from langchain_chroma import Chroma

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.embeddings import ModelEmbeddings
from assistant.retrieval.filters import SearchFilter, chunk_metadata

log = logging.getLogger(__name__)

ADD_BATCH = 256


def make_client(persist_dir: Path, url: str = "") -> Any:
    """HttpClient when a server URL is configured, otherwise an embedded store under ``persist_dir``."""
    settings = ChromaClientSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url)
        return chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    persist_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(persist_dir), settings=settings)


Progress = Callable[[int, int], None]


class DenseIndex:
    """One Chroma collection of chunk vectors; metadata carries dates and scope for ``where`` filters."""

    def __init__(self, client: Any, collection: str, embedding: ModelEmbeddings) -> None:
        self.client = client
        self.collection_name = collection
        self.embedding = embedding
        self.store = self._open()

    def _open(self) -> Chroma:
        store = Chroma(
            collection_name=self.collection_name,
            embedding_function=self.embedding,
            client=self.client,
            collection_metadata={"hnsw:space": "cosine", "model": self.embedding.model_id},
        )
        stamped = (store._collection.metadata or {}).get("model")
        if stamped != self.embedding.model_id:
            # Vectors of another model are not comparable with ours: start the collection again.
            log.warning(
                "Mô hình embedding đổi từ %s sang %s: tạo lại toàn bộ vector",
                stamped,
                self.embedding.model_id,
            )
            self.client.delete_collection(self.collection_name)
            store = Chroma(
                collection_name=self.collection_name,
                embedding_function=self.embedding,
                client=self.client,
                collection_metadata={"hnsw:space": "cosine", "model": self.embedding.model_id},
            )
        return store

    def stored_hashes(self) -> dict[str, str]:
        """Chunk id → content hash of what the collection holds now."""
        result = self.store._collection.get(include=["metadatas"])
        return {
            cid: str((meta or {}).get("hash", ""))
            for cid, meta in zip(result["ids"], result["metadatas"] or [], strict=False)
        }

    def upsert(self, chunks: Sequence[Chunk], progress: Progress | None = None) -> None:
        """Embed and store ``chunks``; ``progress(done, total)`` after each batch (embedding is the slow part)."""
        for start in range(0, len(chunks), ADD_BATCH):
            batch = chunks[start : start + ADD_BATCH]
            metadatas = [{**chunk_metadata(c), "hash": c.content_hash} for c in batch]
            self.store.add_texts(texts=[c.index_text for c in batch], metadatas=metadatas, ids=[c.id for c in batch])
            if progress is not None:
                progress(start + len(batch), len(chunks))

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), ADD_BATCH):
            self.store.delete(ids=list(ids[start : start + ADD_BATCH]))

    def count(self) -> int:
        return int(self.store._collection.count())

    def vectors(self, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors for ``ids`` in that order, and which of them Chroma actually holds."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), 1000):
            batch = self.store._collection.get(ids=list(ids[start : start + 1000]), include=["embeddings"])
            embeddings = batch["embeddings"]
            if embeddings is None:
                continue
            for cid, vector in zip(batch["ids"], list(embeddings), strict=True):
                found[cid] = np.asarray(vector, dtype=np.float32)
        dim = len(next(iter(found.values()))) if found else 1
        matrix = np.zeros((len(ids), dim), dtype=np.float32)
        present = np.zeros(len(ids), dtype=bool)
        for row, cid in enumerate(ids):
            if cid in found:
                matrix[row] = found[cid]
                present[row] = True
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1.0), present

    def search_vector(self, vector: Sequence[float], k: int, search_filter: SearchFilter) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities, best first, among the chunks the filter allows."""
        if k <= 0:
            return []
        results = self.store.similarity_search_by_vector_with_relevance_scores(
            embedding=list(vector), k=k, filter=search_filter.chroma_where()
        )
        return [(str(doc.id), 1.0 - float(distance)) for doc, distance in results]
