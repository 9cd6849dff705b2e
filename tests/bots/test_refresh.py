"""A bot in polling mode (no server beside it) picks up documents a curator ingests from another process."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date
from pathlib import Path

from assistant.db.engine import Database
from assistant.platform import Platform
from bots.hub import refresh_forever
from ingestion.catalogue import Catalogue
from ingestion.metadata import Overrides
from ingestion.pipeline import Ingestor
from tests.conftest import make_settings

CIRCULAR = """QUY CHẾ
CHI TRẢ PHỤ CẤP CA ĐÊM
Điều 1. Phụ cấp ca đêm
Người lao động làm ca đêm được phụ cấp thêm 50.000 đồng mỗi ca.
"""


def test_polling_bot_refreshes_its_index(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, index_refresh_seconds=0.05)
    platform = Platform(settings)
    platform.migrate()
    platform.search.sync()
    before = platform.search.retriever
    assert not before.search_bm25("phụ cấp ca đêm", k=3)
    path = tmp_path / "phu-cap.txt"
    path.write_text(CIRCULAR, encoding="utf-8")
    curator = Database(settings)
    Ingestor(curator, Catalogue([])).ingest_path(path, Overrides(number="01/2029/QC-CĐCS", valid_from=date(2025, 1, 1)))
    curator.dispose()

    async def until_refreshed() -> None:
        task = asyncio.create_task(refresh_forever(platform))
        try:
            for _ in range(600):
                await asyncio.sleep(0.05)
                if platform.search.retriever is not before:
                    return
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    asyncio.run(until_refreshed())
    hits = platform.search.retriever.search_bm25("phụ cấp ca đêm", k=3)
    assert hits and hits[0].work_number == "01/2029/QC-CĐCS"
    platform.close()
