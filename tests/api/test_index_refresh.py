"""A running server answers from documents a curator ingests with the CLI (another process), without a
restart: its background refresh notices the new corpus generation and swaps in the new index."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from assistant.db.engine import Database
from assistant.platform import Platform
from ingestion.catalogue import Catalogue
from ingestion.metadata import Overrides
from ingestion.pipeline import Ingestor
from tests.conftest import make_settings

CIRCULAR = """QUY CHẾ
CHI TRẢ PHỤ CẤP CA ĐÊM
Điều 1. Phụ cấp ca đêm
Người lao động làm ca đêm được phụ cấp thêm 50.000 đồng mỗi ca.
"""


def test_the_server_picks_up_a_document_ingested_elsewhere(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, index_refresh_seconds=0.2)
    platform = Platform(settings)
    with TestClient(create_app(settings, platform)) as client:
        assert client.get("/api/v1/search", params={"q": "phụ cấp ca đêm"}).json()["hits"] == []
        path = tmp_path / "phu-cap.txt"
        path.write_text(CIRCULAR, encoding="utf-8")
        curator = Database(settings)  # the curator's own process: nothing tells the server
        Ingestor(curator, Catalogue([])).ingest_path(
            path, Overrides(number="01/2029/QC-CĐCS", valid_from=date(2025, 1, 1))
        )
        curator.dispose()
        deadline = time.monotonic() + 60
        hits: list[dict[str, object]] = []
        while time.monotonic() < deadline and not hits:
            time.sleep(0.2)
            hits = client.get("/api/v1/search", params={"q": "phụ cấp ca đêm"}).json()["hits"]
        assert hits and hits[0]["work_number"] == "01/2029/QC-CĐCS"
