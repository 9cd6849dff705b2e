"""Which provisions reach the search index."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.db.engine import Database
from assistant.db.migrate import upgrade
from assistant.search import provision_chunks
from ingestion.catalogue import Catalogue
from ingestion.metadata import Overrides
from ingestion.pipeline import Ingestor

TEXT = """LUẬT
MẪU THỬ
Căn cứ Hiến pháp;
Quốc hội ban hành Luật Mẫu thử.
Điều 1. Thời giờ làm việc
Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày.
Điều 2. Sửa đổi, bổ sung một số điều của các luật có liên quan
1. Sửa đổi khoản 2 Điều 5 của Luật Khác như sau: “2. Thời giờ làm việc là 10 giờ.”
Điều 3. Sửa đổi, bổ sung hợp đồng lao động
Hai bên có thể thỏa thuận sửa đổi hợp đồng lao động.
Điều 4. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2030.
"""


def test_articles_that_amend_other_laws_are_not_indexed(settings: Settings, tmp_path: Path) -> None:
    upgrade(settings)
    db = Database(settings)
    path = tmp_path / "mau.txt"
    path.write_text(TEXT, encoding="utf-8")
    Ingestor(db, Catalogue([])).ingest_path(path, Overrides(number="99/2029/QH15"))
    with db.session() as session:
        articles = {c.article for c in provision_chunks(session)}
    assert articles == {1, 3, 4}


def test_sync_reports_embedding_progress(settings: Settings, tmp_path: Path) -> None:
    from assistant.search import SearchService

    upgrade(settings)
    db = Database(settings)
    path = tmp_path / "mau.txt"
    path.write_text(TEXT, encoding="utf-8")
    Ingestor(db, Catalogue([])).ingest_path(path, Overrides(number="99/2029/QH15"))
    seen: list[tuple[int, int]] = []
    service = SearchService(settings, db)
    report = service.sync(lambda done, total: seen.append((done, total)))
    assert report.added == 3
    assert seen and seen[-1] == (3, 3)
    seen.clear()
    service.sync(lambda done, total: seen.append((done, total)))
    assert seen == []  # nothing new to embed
    service.close()
