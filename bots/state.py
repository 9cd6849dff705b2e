"""The one step a chat is in the middle of (a consent asked, a description awaited), kept in the database
so any worker can take the next message. A step expires: an old "đồng ý" must not open a case by surprise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete

from assistant.db.base import utcnow
from assistant.db.channels import ChatState
from assistant.db.engine import Database

TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Step:
    name: str
    data: dict[str, Any] = field(default_factory=dict)


class ChatStates:
    def __init__(self, db: Database, ttl: timedelta = TTL) -> None:
        self.db = db
        self.ttl = ttl

    def get(self, channel: str, chat_key: str, now: datetime | None = None) -> Step | None:
        with self.db.session() as session:
            row = session.get(ChatState, (channel, chat_key))
            if row is None or row.expires_at <= (now or utcnow()):
                return None
            return Step(row.step, dict(row.data or {}))

    def set(self, channel: str, chat_key: str, step: Step, now: datetime | None = None) -> None:
        expires = (now or utcnow()) + self.ttl
        with self.db.session() as session:
            row = session.get(ChatState, (channel, chat_key))
            if row is None:
                session.add(
                    ChatState(channel=channel, chat_key=chat_key, step=step.name, data=step.data, expires_at=expires)
                )
            else:
                row.step, row.data, row.expires_at = step.name, step.data, expires

    def clear(self, channel: str, chat_key: str) -> None:
        with self.db.session() as session:
            row = session.get(ChatState, (channel, chat_key))
            if row is not None:
                session.delete(row)

    def purge(self, now: datetime | None = None) -> int:
        with self.db.session() as session:
            result = session.execute(delete(ChatState).where(ChatState.expires_at <= (now or utcnow())))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
