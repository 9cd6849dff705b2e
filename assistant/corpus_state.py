"""The corpus generation: bumped in the transaction of every document change (ingest, removal, catalogue
facts), read by server processes to know when their search index and answer caches are behind."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.documents import CorpusState

ROW = 1


def bump(session: Session) -> None:
    changed = session.execute(
        update(CorpusState)
        .where(CorpusState.id == ROW)
        .values(generation=CorpusState.generation + 1, changed_at=utcnow())
    )
    if not getattr(changed, "rowcount", 0):
        session.add(CorpusState(id=ROW, generation=1, changed_at=utcnow()))


def generation(session: Session) -> int:
    return int(session.scalar(select(CorpusState.generation).where(CorpusState.id == ROW)) or 0)
