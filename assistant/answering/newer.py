"""Newer texts the catalogue knows and the corpus does not hold, by the work they update.

``congdoan corpus bootstrap`` and every ingest record them on the work (``works.newer_text``); the chain
reads them here so an answer quoting the older wording says it may have been amended since.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from threading import Lock

from sqlalchemy import select

from assistant.db.documents import Work
from assistant.db.engine import Database

# Catalogue facts change only when a curator ingests or removes a text; a minute of staleness is harmless.
REFRESH_SECONDS = 60.0

NewerText = tuple[str, date]


class NewerTexts:
    def __init__(
        self,
        db: Database,
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        generation: Callable[[], int | None] | None = None,
    ) -> None:
        self.db = db
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        # The generation of the loaded search index: when it moves, so may these facts (cached answers rely on
        # both changing together).
        self.generation = generation or (lambda: None)
        self._generation: int | None = None
        self._lock = Lock()
        self._loaded_at: float | None = None
        self._texts: dict[str, NewerText] = {}

    def __call__(self) -> dict[str, NewerText]:
        with self._lock:
            now, generation = self.clock(), self.generation()
            stale = self._loaded_at is None or now - self._loaded_at >= self.refresh_seconds
            if stale or generation != self._generation:
                self._texts = self._load()
                self._loaded_at, self._generation = now, generation
            return self._texts

    def _load(self) -> dict[str, NewerText]:
        with self.db.session() as session:
            rows = session.execute(
                select(Work.number, Work.newer_text, Work.newer_text_from).where(
                    Work.newer_text.is_not(None), Work.newer_text_from.is_not(None)
                )
            ).all()
        return {number: (label, since) for number, label, since in rows if label and since}
