"""Which chunks a search may see: the text in force on a date, and the documents of the asker's units.

The same rule is written twice, once as a Python predicate (lexical index) and once as a Chroma ``where``
clause (dense index); the tests check both against the same chunks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.retrieval.chunks import Chunk

OPEN_END = 99991231  # valid_to None: in force until further notice
PUBLIC_SCOPE = ""  # Chroma metadata cannot hold None


def date_key(value: date | None, *, open_end: int = OPEN_END) -> int:
    """Dates as YYYYMMDD integers so Chroma can compare them."""
    return open_end if value is None else value.year * 10000 + value.month * 100 + value.day


def scope_key(scope_unit_code: str | None) -> str:
    return scope_unit_code or PUBLIC_SCOPE


@dataclass(frozen=True)
class SearchFilter:
    """``as_of``: the day the law must be in force. ``scopes``: unit codes whose internal documents the
    asker may see (the asker's unit and its ancestors); empty means public law only."""

    as_of: date
    scopes: frozenset[str] = frozenset()

    @classmethod
    def build(cls, as_of: date | None = None, scopes: Collection[str] | None = None) -> SearchFilter:
        allowed = frozenset(s for s in (scopes or ()) if s)
        return cls(as_of=as_of or date.today(), scopes=allowed)

    def allows(self, chunk: Chunk) -> bool:
        return self.allows_values(
            date_key(chunk.valid_from), date_key(chunk.valid_to), scope_key(chunk.scope_unit_code)
        )

    def allows_values(self, valid_from: int, valid_to: int, scope: str) -> bool:
        day = date_key(self.as_of)
        if not valid_from <= day < valid_to:
            return False
        return scope == PUBLIC_SCOPE or scope in self.scopes

    def chroma_where(self) -> dict[str, Any]:
        day = date_key(self.as_of)
        allowed = [PUBLIC_SCOPE, *sorted(self.scopes)]
        scope_clause: dict[str, Any] = {"scope": PUBLIC_SCOPE} if len(allowed) == 1 else {"scope": {"$in": allowed}}
        return {
            "$and": [
                {"valid_from": {"$lte": day}},
                {"valid_to": {"$gt": day}},
                scope_clause,
            ]
        }


def chunk_metadata(chunk: Chunk) -> dict[str, str | int]:
    """The metadata stored beside each vector: enough to filter, and to find the chunk again."""
    return {
        "chunk_id": chunk.id,
        "provision_id": chunk.provision_id,
        "work_number": chunk.work_number,
        "article": chunk.article,
        "valid_from": date_key(chunk.valid_from),
        "valid_to": date_key(chunk.valid_to),
        "scope": scope_key(chunk.scope_unit_code),
    }
