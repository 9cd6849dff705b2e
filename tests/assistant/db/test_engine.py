"""Units of work: ``writing()`` commits like ``session()``, and on SQLite one writer of a process at a time."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.db.conversations import Conversation
from assistant.db.engine import Database
from assistant.db.migrate import upgrade


def _count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Conversation)) or 0)


def test_writing_commits_or_rolls_back(db_settings: Settings) -> None:
    upgrade(db_settings)
    db = Database(db_settings)
    with db.writing() as session:
        session.add(Conversation(id="a" * 32, channel="web", external_id="a"))
    assert _count(db) == 1
    with pytest.raises(RuntimeError), db.writing() as session:
        session.add(Conversation(id="b" * 32, channel="web", external_id="b"))
        session.flush()
        raise RuntimeError("boom")
    assert _count(db) == 1
    db.engine.dispose()


def test_sqlite_writers_of_one_process_take_turns(settings: Settings) -> None:
    upgrade(settings)
    db = Database(settings)
    inside = 0
    overlap = False
    guard = threading.Lock()

    def write(n: int) -> None:
        nonlocal inside, overlap
        with db.writing() as session:
            with guard:
                inside += 1
                overlap = overlap or inside > 1
            session.add(Conversation(id=f"{n:032d}", channel="web", external_id=str(n)))
            time.sleep(0.01)
            with guard:
                inside -= 1

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not overlap
    assert _count(db) == 6
    db.engine.dispose()
