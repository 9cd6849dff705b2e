"""Engines and sessions built from settings; SQLite gets foreign keys and WAL so it behaves like a server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from assistant.config import Settings


class DatabaseUnavailable(RuntimeError):
    """The central database cannot be reached; the message says what to check."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # WAL with synchronous=NORMAL is durable across crashes of the process; it skips an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    """One engine and session factory for the process."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.database_url
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time; threads of this process that would collide get SQLITE_BUSY and
        # retry after sleeps of 1, 2, 5… ms (busy_timeout). Queueing them on a lock instead hands the file
        # over as soon as it is free. Other processes still meet busy_timeout; servers need no lock.
        self._write_lock = threading.Lock() if self.engine.dialect.name == "sqlite" else None

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A unit of work that writes: like ``session()``, one writer at a time in this process on SQLite."""
        if self._write_lock is None:
            with self.session() as session:
                yield session
            return
        with self._write_lock, self.session() as session:
            yield session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back everything on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise DatabaseUnavailable(
                f"Không kết nối được cơ sở dữ liệu trung tâm ({make_url(self.url).render_as_string()}): "
                f"{exc.orig}. Kiểm tra CONGDOAN_DATABASE_URL và máy chủ cơ sở dữ liệu."
            ) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
