"""Search over the central database: turns provisions into chunks, keeps the indexes in step, and serves
the hybrid retriever. One instance per process (``Platform.search``)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Container, Iterator
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.corpus_state import generation
from assistant.db.documents import Provision, Version, Work
from assistant.db.engine import Database
from assistant.retrieval.chunks import Chunk, chunks_from_provision
from assistant.retrieval.dense import Progress
from assistant.retrieval.embeddings import make_embeddings
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.index import SearchIndex, SyncReport
from assistant.retrieval.index_lock import index_lock, read_generation, write_generation
from assistant.retrieval.query_adapter import DEFAULT_PATH as ADAPTER_PATH
from assistant.retrieval.question_bank import load_bank
from assistant.retrieval.reranker import DEFAULT_PATH as RERANKER_PATH
from assistant.vietnamese import Lexicon

log = logging.getLogger(__name__)
YEAR = re.compile(r"\b(19|20)\d{2}\b")
# "Sửa đổi, bổ sung một số điều của các luật có liên quan…": instructions that amend other laws. Their text
# lives on in the amended laws themselves, and indexed here it outranks the real rule for many questions.
AMENDS_OTHER_LAWS = re.compile(r"^sửa đổi, bổ sung\b.*\bluật\b", re.IGNORECASE)


def display_title(work: Work) -> str:
    """"Bộ luật Lao động 2019": codes and laws are known by their year; decrees carry their number anyway."""
    if work.issued_on and work.doc_type in {"Bộ luật", "Luật"} and not YEAR.search(work.title):
        return f"{work.title} {work.issued_on.year}"
    return work.title


def provision_chunks(session: Session) -> Iterator[Chunk]:
    rows = session.execute(
        select(Provision, Version, Work)
        .join(Version, Provision.version_id == Version.id)
        .join(Work, Version.work_id == Work.id)
        .order_by(Provision.id)
    ).tuples()
    for provision, version, work in rows:
        start = provision.valid_from or version.valid_from
        end = provision.valid_to
        if end is not None and end <= start:
            continue  # never in force (a superseded duplicate): nothing to find
        if AMENDS_OTHER_LAWS.match(provision.title):
            continue
        context = " / ".join(x for x in (provision.chapter, provision.section) if x)
        yield from chunks_from_provision(
            provision_id=provision.id,
            work_number=work.number,
            version_label=version.label,
            document_title=display_title(work),
            article=provision.article,
            article_label=provision.article_label,
            title=provision.title,
            text=provision.text,
            clauses=provision.clauses,
            valid_from=start,
            valid_to=end,
            scope_unit_code=work.scope_unit_code,
            intro=provision.intro,
            context=context,
        )


class SearchService:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        lexicon = Lexicon.load(settings.lexicon_path)
        self.index = SearchIndex(
            settings.data_dir,
            make_embeddings(settings.embedding.provider, settings.embedding.model, settings.embedding.engine),
            chroma_url=settings.chroma.url,
            collection=settings.chroma.collection,
            lexicon=lexicon,
            adapter_path=ADAPTER_PATH if settings.embedding.query_adapter else None,
            reranker_path=RERANKER_PATH if settings.embedding.article_reranker else None,
            question_bank=load_bank(settings.question_bank_path) if settings.question_bank_weight > 0 else (),
            question_weight=settings.question_bank_weight,
            question_clause_weight=settings.question_bank_clause_weight,
            question_vote_weight=settings.question_bank_vote_weight,
            question_neighbours=settings.question_bank_neighbours,
        )
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()
        # The corpus generation the loaded retriever reflects (None: not loaded, or loaded from an index
        # that was never stamped).
        self.loaded_generation: int | None = None

    def sync(self, progress: Progress | None = None) -> SyncReport:
        with self._lock:
            report = self._sync_index(progress, rebuild=False)
            self._retriever = None
        return report

    def rebuild(self, progress: Progress | None = None) -> SyncReport:
        with self._lock:
            report = self._sync_index(progress, rebuild=True)
            self._retriever = None
        return report

    def _sync_index(self, progress: Progress | None, rebuild: bool, only_if_behind: bool = False) -> SyncReport:
        """Bring the files on disk in step with the database, under the machine-wide index lock, and stamp
        them with the generation read before the chunks (never a newer one than the data). With
        ``only_if_behind``, a process that waited for the lock while another synced does nothing."""
        with index_lock(self.index.directory, exclusive=True), self.db.session() as session:
            current = generation(session)
            if only_if_behind and read_generation(self.index.directory) == current:
                return SyncReport(added=0, updated=0, removed=0, unchanged=0, embedded=0, seconds=0.0)
            chunks = list(provision_chunks(session))
            report = self.index.rebuild(chunks, progress) if rebuild else self.index.sync(chunks, progress)
            write_generation(self.index.directory, current)
        return report

    @property
    def vocabulary(self) -> Container[str]:
        """Every word (folded syllable) of the indexed corpus."""
        return self.retriever.vocabulary

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    self._retriever, self.loaded_generation = self._load()
        return self._retriever

    def _load(self) -> tuple[HybridRetriever, int | None]:
        with index_lock(self.index.directory, exclusive=False):
            return self.index.load(), read_generation(self.index.directory)

    def refresh(self, progress: Progress | None = None) -> bool:
        """Called every few seconds by the server: when the central database has changed since the loaded
        index (a curator's ``congdoan ingest`` elsewhere, another machine), sync the files on disk if no
        other process did yet, then load the new index and swap it in. Questions keep using the old one
        meanwhile. Returns True when a new index was swapped in."""
        if self._retriever is None:
            return False
        with self.db.session() as session:
            current = generation(session)
        if current == self.loaded_generation:
            return False
        if read_generation(self.index.directory) != current:
            with self._lock:
                self._sync_index(progress, rebuild=False, only_if_behind=True)
        retriever, loaded = self._load()
        with self._lock:
            self._retriever, self.loaded_generation = retriever, loaded
        log.info("Chỉ mục tìm kiếm đã cập nhật theo kho văn bản (thế hệ %s).", loaded)
        return True

    @property
    def embedding_model(self) -> str:
        """Names the vectors the index holds (a learned model on them must have been trained on the same)."""
        return self.index.embedding.model_id

    def query_vector(self, query: str) -> np.ndarray | None:
        return self.retriever.query_vector(query)

    def search(
        self, query: str, k: int = 10, as_of: date | None = None, scopes: list[str] | None = None
    ) -> list[object]:
        return list(self.retriever.search(query, k=k, as_of=as_of or date.today(), scopes=scopes))

    def close(self) -> None:
        self.index.close()
