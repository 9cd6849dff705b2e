"""The running platform: settings plus the components built from them, created once at start-up.

Faces (CLI, HTTP app, bots) build one ``Platform`` and take what they need from it; heavy components
(search index, answer chain) are built on first use so commands that do not need them stay fast.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.db.engine import Database

if TYPE_CHECKING:
    from assistant.answering.chain import AnswerChain
    from assistant.answering.passages import Retriever
    from assistant.answering.service import ChatService
    from assistant.outbox import Deliverers, Outbox
    from assistant.search import SearchService
    from assistant.security import Signer

log = logging.getLogger(__name__)


class Platform:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # A face (the CLI) may set this to show how the embedding of new provisions advances.
        self.index_progress: Callable[[int, int], None] | None = None
        settings.ensure_dirs()

    @cached_property
    def db(self) -> Database:
        return Database(self.settings)

    @cached_property
    def signer(self) -> Signer:
        from assistant.security import Signer, resolve_secret_key

        return Signer(resolve_secret_key(self.settings))

    @cached_property
    def deliverers(self) -> Deliverers:
        from assistant.outbox import default_deliverers

        return default_deliverers(self.db)

    @cached_property
    def outbox(self) -> Outbox:
        from assistant.outbox import Outbox

        return Outbox(self.db, self.deliverers)

    @cached_property
    def retriever(self) -> Retriever:
        """The hybrid search the answer chain uses (the search service, when the platform has one)."""
        search = getattr(self, "search", None)
        if search is not None:
            return search
        from assistant.search import SearchService

        return SearchService(self.settings, self.db)

    @cached_property
    def chain(self) -> AnswerChain:
        from assistant.answering.factory import build_chain

        return build_chain(self.settings, self.retriever, self.db)

    @cached_property
    def chat(self) -> ChatService:
        from assistant.answering.cache import AnswerCache
        from assistant.answering.service import ChatService
        from assistant.conversations import ConversationStore

        # Answers are cached per generation of the loaded index, so a swapped-in index starts afresh.
        cache = AnswerCache(lambda: getattr(self.retriever, "loaded_generation", None))
        return ChatService(self.chain, ConversationStore(self.db), cache)

    def warm_up(self) -> None:
        """Load the index, build the answer chain and prepare every provision's per-text work now, so no early
        question is the slow one."""
        from assistant.answering.prepare import prepare_provisions

        retriever = self.search.retriever
        _ = self.chat
        started = time.perf_counter()
        prepared = prepare_provisions(retriever.table.chunks, self.chain.article_texts)
        log.info(
            "Đã chuẩn bị %d điều luật, %d khoản/điểm trong %.1f s.",
            prepared.articles, prepared.units, time.perf_counter() - started,
        )

    def migrate(self) -> None:
        from assistant.db.migrate import upgrade

        upgrade(self.settings)

    @cached_property
    def search(self) -> SearchService:
        from assistant.search import SearchService

        return SearchService(self.settings, self.db)

    def documents_changed(self) -> None:
        """Called after documents are added or removed, so derived indexes catch up."""
        for listener in self.document_listeners:
            listener()

    @cached_property
    def document_listeners(self) -> list[Callable[[], None]]:
        # Ingest and remove keep the search indexes in step with the database.
        return [self._sync_search]

    def _sync_search(self) -> None:
        self.search.sync(self.index_progress)

    def close(self) -> None:
        if "search" in self.__dict__:
            self.search.close()
        if "db" in self.__dict__:
            self.db.dispose()
