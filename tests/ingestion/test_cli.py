"""The curator's command line, end to end through Typer, with the real database and search index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from assistant.platform import Platform
from tests.conftest import make_settings

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "corpus" / "samples" / "quy-che-chi-tieu-noi-bo-mau.txt"


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return Platform(make_settings(tmp_path))


def run(platform: Platform, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), obj=platform)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_list_show_remove(platform: Platform, shared_dir: Path) -> None:
    raw = shared_dir / "corpus" / "raw"
    code, out, err = run(platform, "ingest", str(raw / "luat-cong-doan-2012-12-2012-qh13.txt"), "--json")
    assert code == 0, err
    assert json.loads(out)["results"][0]["articles"] == 33
    code, out, err = run(
        platform, "ingest", str(raw / "luat-cong-doan-2024-50-2024-qh15.txt"), "--replaces", "12/2012/QH13", "--json"
    )
    assert code == 0, err
    code, out, _ = run(platform, "ingest", str(raw / "luat-cong-doan-2024-50-2024-qh15.txt"), "--json")
    assert json.loads(out)["results"][0]["status"] == "unchanged"

    code, out, _ = run(platform, "docs", "list", "--json")
    works = {w["work_number"]: w for w in json.loads(out)}
    old = works["12/2012/QH13"]["versions"][0]
    assert old["valid_to"] == "2025-07-01" and old["articles"] == 33
    assert "thay thế" in old["status"]
    assert works["50/2024/QH15"]["versions"][0]["valid_from"] == "2025-07-01"

    code, out, _ = run(platform, "docs", "show", "12/2012/QH13", "--article", "1", "--as-of", "2025-01-01", "--json")
    assert code == 0 and json.loads(out)["articles"][0]["article"] == 1
    code, _, err = run(platform, "docs", "show", "12/2012/QH13", "--as-of", "2025-07-01")
    assert code == 1 and "không có hiệu lực" in err

    assert platform.search.index.counts()["lexical"] > 0
    hits = platform.search.retriever.search("quyền của đoàn viên công đoàn", k=5)
    assert hits and all(h.work_number == "50/2024/QH15" for h in hits)
    code, out, err = run(platform, "search", "quyen cua doan vien cong doan", "--as-of", "2025-01-01", "--json")
    assert code == 0, err
    found = json.loads(out)["hits"]
    assert found and {h["work_number"] for h in found} == {"12/2012/QH13"}
    code, out, _ = run(platform, "search", "quyền của đoàn viên công đoàn", "--json")
    assert json.loads(out)["hits"][0]["work_number"] == "50/2024/QH15"

    code, out, err = run(platform, "docs", "remove", "50/2024/QH15", "--yes", "--json")
    assert code == 0, err
    hits = platform.search.retriever.search("quyền của đoàn viên công đoàn", k=5)
    assert all(h.work_number != "50/2024/QH15" for h in hits)


def test_scope_flag_and_dry_run(platform: Platform) -> None:
    code, out, _ = run(platform, "ingest", str(SAMPLE), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["results"][0]["status"] == "dry_run"
    code, out, _ = run(platform, "docs", "list", "--json")
    assert json.loads(out) == []
    code, out, err = run(platform, "ingest", str(SAMPLE), "--scope", "CDCS-A", "--json")
    assert code == 0, err
    code, out, _ = run(platform, "docs", "list", "--json")
    assert json.loads(out)[0]["scope"] == "CDCS-A"


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.txt", b""), ("prose.txt", "Không có điều khoản nào ở đây.".encode()), ("x.xlsx", b"PK\x03\x04")],
)
def test_bad_files_exit_non_zero_with_a_message(platform: Platform, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(platform, "ingest", str(path), "--number", "1/2025/QĐ-X")
    assert code == 1
    assert "Lỗi" in err or "error" in err
    code, out, _ = run(platform, "docs", "list", "--json")
    assert json.loads(out) == []


def test_bad_date_flag(platform: Platform) -> None:
    code, _, err = run(platform, "docs", "show", "45/2019/QH14", "--as-of", "hôm qua")
    assert code == 1 and "YYYY-MM-DD" in err


def test_docs_list_names_a_consolidated_text_still_to_ingest(platform: Platform, shared_dir: Path) -> None:
    from ingestion.catalogue import Catalogue
    from ingestion.pipeline import Ingestor

    # Ingested without the index sync: embedding the whole code would take minutes and is not under test.
    platform.migrate()
    Ingestor(platform.db, Catalogue.load()).ingest_path(shared_dir / "corpus" / "raw" / "blld-2019-45-2019-qh14.txt")
    code, out, _ = run(platform, "docs", "list", "--json")
    work = json.loads(out)[0]
    assert work["newer_text_missing"] == {"label": "18/VBHN-VPQH", "valid_from": "2026-01-01"}
    code, out, _ = run(platform, "docs", "list")
    assert code == 0 and "Cần nạp" in out and "18/VBHN-VPQH" in out
