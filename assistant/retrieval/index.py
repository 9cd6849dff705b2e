"""Keeps the lexical and the dense index in step with the provisions in the database.

Layout under ``data_dir``::

    index/chunks.sqlite      chunk id, content hash, chunk JSON, BM25 tokens (segmentation done once)
    index/bm25/              the bm25s index and the id order it was built in
    index/embeddings.sqlite  embedding cache by (model id, sha256(text))
    chroma/                  the embedded Chroma store (unless a Chroma server URL is configured)
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.retrieval.chunks import Chunk, chunk_from_dict, chunk_to_dict, dedupe
from assistant.retrieval.dense import DenseIndex, make_client
from assistant.retrieval.embeddings import CachedEmbeddings, EmbeddingCache, ModelEmbeddings
from assistant.retrieval.hybrid import ChunkTable, FusionConfig, HybridRetriever
from assistant.retrieval.lexical import LexicalIndex
from assistant.vietnamese import Lexicon, index_tokens, warm_up

log = logging.getLogger(__name__)

DEFAULT_COLLECTION = "provisions"


@dataclass(frozen=True)
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    embedded: int
    seconds: float


class ChunkStore:
    """Chunks with their tokens in SQLite: the lexical index is rebuilt from here without re-segmenting."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path)
        with self._conn:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS chunks ("
                " id TEXT PRIMARY KEY, hash TEXT NOT NULL, data TEXT NOT NULL, tokens TEXT NOT NULL)"
            )

    def hashes(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT id, hash FROM chunks").fetchall())

    def put(self, chunks: Sequence[Chunk]) -> None:
        rows = [
            (c.id, c.content_hash, json.dumps(chunk_to_dict(c), ensure_ascii=False), json.dumps(index_tokens(c.index_text)))
            for c in chunks
        ]
        with self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?)", rows)

    def delete(self, ids: Sequence[str]) -> None:
        with self._conn:
            self._conn.executemany("DELETE FROM chunks WHERE id = ?", [(i,) for i in ids])

    def all(self) -> tuple[list[Chunk], list[list[str]]]:
        rows = self._conn.execute("SELECT data, tokens FROM chunks ORDER BY id").fetchall()
        return [chunk_from_dict(json.loads(d)) for d, _ in rows], [json.loads(t) for _, t in rows]

    def chunks(self) -> list[Chunk]:
        rows = self._conn.execute("SELECT data FROM chunks ORDER BY id").fetchall()
        return [chunk_from_dict(json.loads(d)) for (d,) in rows]

    def close(self) -> None:
        self._conn.close()


class SearchIndex:
    """Both indexes over one chunk set. ``sync`` makes them hold exactly the chunks given; ``load`` returns
    a ready :class:`HybridRetriever` (seconds, not minutes: nothing is recomputed at start)."""

    def __init__(
        self,
        data_dir: Path,
        embedding: ModelEmbeddings,
        chroma_url: str = "",
        collection: str = DEFAULT_COLLECTION,
        lexicon: Lexicon | None = None,
        fusion: FusionConfig | None = None,
    ) -> None:
        self.directory = Path(data_dir) / "index"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.cache = EmbeddingCache(self.directory / "embeddings.sqlite")
        self.embedding = CachedEmbeddings(embedding, self.cache)
        self.store = ChunkStore(self.directory / "chunks.sqlite")
        self.chroma_url = chroma_url
        self.client = make_client(Path(data_dir) / "chroma", chroma_url)
        self.dense = DenseIndex(self.client, collection, self.embedding)
        self.lexicon = lexicon
        self.fusion = fusion

    @property
    def lexical_dir(self) -> Path:
        return self.directory / "bm25"

    def sync(self, chunks: Iterable[Chunk]) -> SyncReport:
        """Add new and changed chunks, delete vanished ones, in both indexes (by id + content hash)."""
        started = time.perf_counter()
        wanted = dedupe(chunks)
        wanted_hash = {cid: c.content_hash for cid, c in wanted.items()}
        stored = self.store.hashes()
        lexical_changed = [wanted[i] for i, h in wanted_hash.items() if stored.get(i) != h]
        lexical_gone = [i for i in stored if i not in wanted]
        self.store.put(lexical_changed)
        self.store.delete(lexical_gone)
        if lexical_changed or lexical_gone or not (self.lexical_dir / "ids.json").exists():
            self._rebuild_lexical()

        # The dense side is compared on its own, so an interrupted earlier sync is repaired too.
        in_chroma = self.dense.stored_hashes()
        dense_changed = [wanted[i] for i, h in wanted_hash.items() if in_chroma.get(i) != h]
        dense_gone = [i for i in in_chroma if i not in wanted]
        before = self.cache.count(self.embedding.model_id)
        self.dense.delete(dense_gone)
        self.dense.upsert(dense_changed)
        embedded = self.cache.count(self.embedding.model_id) - before

        added = sum(1 for c in lexical_changed if c.id not in stored)
        report = SyncReport(
            added=added,
            updated=len(lexical_changed) - added,
            removed=len(lexical_gone),
            unchanged=len(wanted) - len(lexical_changed),
            embedded=embedded,
            seconds=round(time.perf_counter() - started, 3),
        )
        log.info("Đồng bộ chỉ mục: %s", report)
        return report

    def rebuild(self, chunks: Iterable[Chunk]) -> SyncReport:
        """Empty both indexes, then index ``chunks`` again (embeddings still come from the cache)."""
        self.store.delete(list(self.store.hashes()))
        self.dense.delete(list(self.dense.stored_hashes()))
        return self.sync(chunks)

    def _rebuild_lexical(self) -> None:
        chunks, tokens = self.store.all()
        LexicalIndex.build([c.id for c in chunks], tokens).save(self.lexical_dir)

    def load(self) -> HybridRetriever:
        """The retriever over what is on disk now; warms the segmenter and the query embedder."""
        chunks = self.store.chunks()
        lexical = LexicalIndex.load(self.lexical_dir)
        if lexical is None or lexical.ids != [c.id for c in chunks]:
            self._rebuild_lexical()
            lexical = LexicalIndex.load(self.lexical_dir)
        assert lexical is not None
        warm_up()
        self.embedding.embed_query("người lao động")
        return HybridRetriever(ChunkTable(chunks), lexical, self.dense, self.lexicon, self.fusion)

    def counts(self) -> dict[str, int]:
        """Chunks in each index, for health checks (/readyz) and tests."""
        return {"lexical": len(self.store.hashes()), "dense": self.dense.count()}

    def close(self) -> None:
        self.store.close()
        self.cache.close()
