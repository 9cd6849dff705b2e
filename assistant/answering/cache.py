"""Answers to first questions, kept per corpus generation.

Members ask the same first questions again and again ("nghỉ phép năm được mấy ngày?"). The chain is
deterministic for a message, a date, the scopes the asker may see and the corpus its index was built from, so
the events it produced are replayed for the same four. The corpus generation changes with every ingest,
removal or catalogue change (``assistant.corpus_state``), and an index is only ever swapped in with its new
generation, so an answer is never served from documents other than those the uncached chain would use.
Follow-ups are never cached: their answer depends on the conversation. Every exchange is still stored.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from threading import Lock

from assistant.answering.chain import ChainEvent, ChainResult

CACHE_SIZE = 4096

Key = tuple[int, str, str, str, tuple[str, ...] | None]


class AnswerCache:
    def __init__(self, generation: Callable[[], int | None], size: int = CACHE_SIZE) -> None:
        self.generation = generation
        self.size = size
        self._entries: OrderedDict[Key, list[ChainEvent]] = OrderedDict()
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def key(self, message: str, as_of: date, today: date, scopes: Sequence[str] | None) -> Key | None:
        """None when the loaded index has no known generation (then nothing is cached). ``today`` is part of
        the key because an answer "as of" another day says so."""
        current = self.generation()
        if current is None:
            return None
        scope_key = tuple(sorted(scopes)) if scopes is not None else None
        return (current, " ".join(message.split()), as_of.isoformat(), today.isoformat(), scope_key)

    def get(self, key: Key) -> list[ChainEvent] | None:
        with self._lock:
            events = self._entries.get(key)
            if events is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return [_fresh(event) for event in events]

    def put(self, key: Key, events: list[ChainEvent]) -> None:
        with self._lock:
            if key[0] != self.generation():
                return  # the index changed while this answer was made
            self._entries[key] = [_copy(event) for event in events]
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def _copy(event: ChainEvent) -> ChainEvent:
    if event.kind != "done":
        return event
    result: ChainResult = event.data
    return ChainEvent("done", replace(result, trace=dict(result.trace)))


def _fresh(event: ChainEvent) -> ChainEvent:
    """A copy whose trace the caller may extend without touching the cached one."""
    if event.kind != "done":
        return event
    result: ChainResult = event.data
    return ChainEvent("done", replace(result, trace={**result.trace, "cache": "hit"}))
