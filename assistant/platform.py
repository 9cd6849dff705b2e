"""The running platform: settings plus the components built from them, created once at start-up.

Faces (CLI, HTTP app, bots) build one ``Platform`` and take what they need from it; heavy components
(search index, answer chain) are built on first use so commands that do not need them stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.db.engine import Database

if TYPE_CHECKING:
    from assistant.outbox import Deliverers, Outbox
    from assistant.security import Signer


class Platform:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.ensure_dirs()

    @cached_property
    def db(self) -> Database:
        return Database(self.settings)

    @cached_property
    def signer(self) -> Signer:
        from assistant.security import resolve_secret_key

        return Signer(resolve_secret_key(self.settings))

    @cached_property
    def deliverers(self) -> Deliverers:
        from assistant.outbox import default_deliverers

        return default_deliverers(self.db)

    @cached_property
    def outbox(self) -> Outbox:
        from assistant.outbox import Outbox

        return Outbox(self.db, self.deliverers)

    def migrate(self) -> None:
        from assistant.db.migrate import upgrade

        upgrade(self.settings)

    def documents_changed(self) -> None:
        """Called after documents are added or removed, so derived indexes catch up."""
        for listener in self.document_listeners:
            listener()

    @cached_property
    def document_listeners(self) -> list[Callable[[], None]]:
        return []

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.dispose()
