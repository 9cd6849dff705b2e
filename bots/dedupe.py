"""Handle each update once: the first worker to record its key wins, every later delivery is dropped.

The key is stored in the central database, so it holds across webhook retries, polling restarts and several
workers. Old keys are purged; Telegram and Zalo stop redelivering long before they expire.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from assistant.db.base import utcnow
from assistant.db.channels import ChannelUpdate
from assistant.db.engine import Database

KEEP = timedelta(days=7)


class Dedupe:
    def __init__(self, db: Database, keep: timedelta = KEEP) -> None:
        self.db = db
        self.keep = keep

    def first_time(self, channel: str, update_key: str, now: datetime | None = None) -> bool:
        """True exactly once per (channel, key), however many workers ask at the same moment."""
        try:
            with self.db.session() as session:
                session.add(ChannelUpdate(channel=channel, update_key=update_key[:128], received_at=now or utcnow()))
        except IntegrityError:
            return False
        return True

    def seen(self, channel: str, update_key: str) -> bool:
        with self.db.session() as session:
            found = session.scalar(
                select(ChannelUpdate.id).where(
                    ChannelUpdate.channel == channel, ChannelUpdate.update_key == update_key[:128]
                )
            )
        return found is not None

    def forget(self, channel: str, update_key: str) -> None:
        """Processing failed before anything reached the person: let a redelivery try again."""
        with self.db.session() as session:
            session.execute(
                delete(ChannelUpdate).where(
                    ChannelUpdate.channel == channel, ChannelUpdate.update_key == update_key[:128]
                )
            )

    def purge(self, now: datetime | None = None) -> int:
        with self.db.session() as session:
            result = session.execute(
                delete(ChannelUpdate).where(ChannelUpdate.received_at < (now or utcnow()) - self.keep)
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
