"""Whole-article text for retrieval hits, from the central database.

A hit is one article represented by its best clause or point; the extractive generator reads the whole
article so it can quote the clause's lead-in with the point ("... phải báo trước ... ít nhất 45 ngày").
Provision rows never change text under the same id (re-ingesting makes new rows), so a small cache is safe.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from threading import Lock

from sqlalchemy import select

from assistant.db.documents import Provision
from assistant.db.engine import Database

CACHE_SIZE = 8192


class ArticleTexts:
    def __init__(self, db: Database, cache_size: int = CACHE_SIZE) -> None:
        self.db = db
        self.cache_size = cache_size
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._lock = Lock()

    def __call__(self, provision_ids: Sequence[str]) -> dict[str, str]:
        wanted = {pid for pid in provision_ids if pid and pid.isdigit()}
        with self._lock:
            found = {pid: self._cache[pid] for pid in wanted if pid in self._cache}
        missing = sorted(wanted - found.keys())
        if missing:
            with self.db.session() as session:
                rows = session.execute(
                    select(Provision.id, Provision.text).where(Provision.id.in_([int(m) for m in missing]))
                ).all()
            loaded = {str(row_id): text for row_id, text in rows}
            found.update(loaded)
            with self._lock:
                self._cache.update(loaded)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return found
