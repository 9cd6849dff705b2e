"""Keeps the lexical and the dense index in step with the provisions in the database.

Layout under ``data_dir``::

    index/chunks.sqlite      chunk id, content hash, chunk JSON
    index/bm25/              the bm25s index, the id order it was built in and its tokenizer version
    index/diacritics.json    syllable counts of the corpus, to restore marks on unaccented questions
    index/embeddings.sqlite  embedding cache by (model id, sha256(text))
    chroma/                  the embedded Chroma store (unless a Chroma server URL is configured)
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.retrieval.chunks import Chunk, chunk_from_dict, chunk_to_dict, dedupe
from assistant.retrieval.dense import DenseIndex, Progress, make_client
from assistant.retrieval.diacritics import DiacriticRestorer, sample_questions
from assistant.retrieval.embeddings import CachedEmbeddings, EmbeddingCache, ModelEmbeddings
from assistant.retrieval.hybrid import ChunkTable, FusionConfig, HybridRetriever
from assistant.retrieval.lexical import LexicalIndex, chunk_tokens
from assistant.retrieval.query_adapter import QueryAdapter
from assistant.retrieval.question_bank import BankEntry, ProvisionKey, QuestionTerms, tokenize_bank_with
from assistant.retrieval.reranker import ArticleReranker
from assistant.vietnamese import Lexicon

log = logging.getLogger(__name__)

DEFAULT_COLLECTION = "provisions"
# Lexicon words and question phrases are few but typical of how workers write: count them more.
LEXICON_WEIGHT = 5


@dataclass(frozen=True)
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    embedded: int
    seconds: float


_CHUNK_COLUMNS = ("id", "hash", "data")


class ChunkStore:
    """The indexed chunks in SQLite: what hits are made of, and what the lexical index is rebuilt from."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Built at start-up, used later from request threads (a curator's upload syncs the index).
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        columns = [row[1] for row in self._conn.execute("PRAGMA table_info(chunks)")]
        with self._conn:
            if columns and columns != list(_CHUNK_COLUMNS):
                # Written by an older layout: it is only a copy of the database, so start it again.
                log.warning("Bảng đoạn văn của chỉ mục có cấu trúc cũ: tạo lại")
                self._conn.execute("DROP TABLE chunks")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, hash TEXT NOT NULL, data TEXT NOT NULL)"
            )

    def hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT id, hash FROM chunks").fetchall())

    def put(self, chunks: Sequence[Chunk]) -> None:
        rows = [(c.id, c.content_hash, json.dumps(chunk_to_dict(c), ensure_ascii=False)) for c in chunks]
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?)", rows)

    def delete(self, ids: Sequence[str]) -> None:
        with self._lock, self._conn:
            self._conn.executemany("DELETE FROM chunks WHERE id = ?", [(i,) for i in ids])

    def chunks(self) -> list[Chunk]:
        with self._lock:
            rows = self._conn.execute("SELECT data FROM chunks ORDER BY id").fetchall()
        return [chunk_from_dict(json.loads(d)) for (d,) in rows]

    def close(self) -> None:
        with self._lock:
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
        adapter_path: Path | None = None,
        reranker_path: Path | None = None,
        question_bank: Sequence[BankEntry] = (),
        question_weight: float = 0.0,
        question_clause_weight: float = 0.0,
        question_vote_weight: float = 0.0,
        question_neighbours: int = 0,
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
        self.adapter = QueryAdapter.load(adapter_path, self.embedding.model_id) if adapter_path else None
        self.reranker = ArticleReranker.load(reranker_path, self.embedding.model_id) if reranker_path else None
        self.question_bank = list(question_bank)
        self.question_weight = question_weight
        self.question_clause_weight = question_clause_weight
        self.question_vote_weight = question_vote_weight
        self.question_neighbours = question_neighbours
        self._bank_tokens: list[tuple[list[str], tuple[ProvisionKey, ...]]] | None = None

    @property
    def lexical_dir(self) -> Path:
        return self.directory / "bm25"

    def sync(self, chunks: Iterable[Chunk], progress: Progress | None = None) -> SyncReport:
        """Add new and changed chunks, delete vanished ones, in both indexes (by id + content hash).
        ``progress(done, total)`` follows the embedding of new chunks."""
        started = time.perf_counter()
        wanted = dedupe(chunks)
        stored = self.store.hashes()
        lexical_changed = [c for i, c in wanted.items() if stored.get(i) != c.content_hash]
        lexical_gone = [i for i in stored if i not in wanted]
        self.store.put(lexical_changed)
        self.store.delete(lexical_gone)
        if lexical_changed or lexical_gone or not LexicalIndex.exists(self.lexical_dir):
            self._rebuild_lexical()

        # The dense side is compared on its own, so an interrupted earlier sync is repaired too.
        in_chroma = self.dense.stored_hashes()
        dense_changed = [c for i, c in wanted.items() if in_chroma.get(i) != c.content_hash]
        dense_gone = [i for i in in_chroma if i not in wanted]
        before = self.cache.count(self.embedding.model_id)
        self.dense.delete(dense_gone)
        self.dense.upsert(dense_changed, progress)
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

    def rebuild(self, chunks: Iterable[Chunk], progress: Progress | None = None) -> SyncReport:
        """Empty both indexes, then index ``chunks`` again (embeddings still come from the cache)."""
        self.store.delete(list(self.store.hashes()))
        self.dense.delete(list(self.dense.stored_hashes()))
        return self.sync(chunks, progress)

    @property
    def diacritics_path(self) -> Path:
        return self.directory / "diacritics.json"

    def _rebuild_lexical(self) -> None:
        """A few seconds for 5,000 chunks: tokenizing is a regular expression, no model."""
        chunks = self.store.chunks()
        LexicalIndex.build([c.id for c in chunks], [chunk_tokens(c) for c in chunks]).save(self.lexical_dir)
        DiacriticRestorer.from_texts(c.index_text for c in chunks).save(self.diacritics_path)

    def _restorer(self) -> DiacriticRestorer:
        restorer = DiacriticRestorer.load(self.diacritics_path) or DiacriticRestorer()
        restorer.add(sample_questions(), weight=LEXICON_WEIGHT)
        if self.lexicon is not None:
            # Read at each start, so a curator's new phrases count without re-indexing.
            restorer.add(self.lexicon.texts(), weight=LEXICON_WEIGHT)
        return restorer

    def load(self, vectors_in_memory: bool = True) -> HybridRetriever:
        """The retriever over what is on disk now, with the query embedder warmed up.

        ``vectors_in_memory`` copies the vectors out of Chroma once (0.2 s for 2,700 chunks) and scores
        questions with numpy: Chroma's own query with a metadata ``where`` took 28 ms of a 100 ms budget,
        the matrix product 0.1 ms, with the same filters and exact (not approximate) neighbours. Without
        it every question goes to Chroma with the ``where`` clause."""
        chunks = self.store.chunks()
        lexical = LexicalIndex.load(self.lexical_dir)
        if lexical is None or lexical.ids != [c.id for c in chunks] or not self.diacritics_path.exists():
            self._rebuild_lexical()
            lexical = LexicalIndex.load(self.lexical_dir)
        assert lexical is not None
        self.embedding.embed_query("người lao động")
        table = ChunkTable(chunks)
        if vectors_in_memory:
            table = ChunkTable(chunks, *self.dense.vectors([c.id for c in chunks]))
        return HybridRetriever(
            table,
            lexical,
            self.dense,
            self.lexicon,
            self.fusion,
            restorer=self._restorer(),
            adapter=self.adapter,
            reranker=self.reranker,
            question_terms=self._question_terms(chunks),
        )

    def _question_terms(self, chunks: Sequence[Chunk]) -> QuestionTerms | None:
        """The bank's questions tokenized as search tokenizes a question (once per process for the same bank and
        lexicon: 6,460 questions take about 3.5 s), gathered under the chunks loaded now."""
        if not self.question_bank or self.question_weight <= 0:
            return None
        if self._bank_tokens is None:
            self._bank_tokens = tokenize_bank_with(self.question_bank, self.lexicon or Lexicon([]))
        return QuestionTerms.build(
            chunks,
            self._bank_tokens,
            self.question_weight,
            self.question_clause_weight,
            self.question_vote_weight,
            self.question_neighbours,
        )

    def counts(self) -> dict[str, int]:
        """Chunks in each index, for health checks (/readyz) and tests."""
        return {"lexical": len(self.store.hashes()), "dense": self.dense.count()}

    def close(self) -> None:
        self.store.close()
        self.cache.close()
