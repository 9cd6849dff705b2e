"""Ingest pipeline against the real shared corpus, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.db.documents import Provision, Version, Work
from assistant.db.engine import Database
from assistant.db.migrate import upgrade
from assistant.documents import find_work, text_as_of
from ingestion.catalogue import Catalogue
from ingestion.errors import IngestError
from ingestion.metadata import Overrides
from ingestion.pipeline import Ingestor, remove_work


@pytest.fixture
def ingestor(db_settings: Settings) -> Ingestor:
    upgrade(db_settings)
    return Ingestor(Database(db_settings), Catalogue.load())


def raw(shared_dir: Path, slug: str) -> Path:
    return shared_dir / "corpus" / "raw" / f"{slug}.txt"


def article(ingestor: Ingestor, number: str, on: date, label: str) -> str | None:
    with ingestor.db.session() as session:
        work = find_work(session, number)
        assert work is not None
        rows = text_as_of(session, work, on, label)
        return rows[0].provision.text if rows else None


def test_whole_shared_corpus_ingests_with_expected_article_counts(ingestor: Ingestor, shared_dir: Path) -> None:
    rows = list(csv.DictReader((shared_dir / "corpus" / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t"))
    for row in rows:
        result = ingestor.ingest_path(raw(shared_dir, row["slug"]))
        expected = int(row["article_count_found"].split()[0])
        assert result.status == "ingested", result.message
        assert result.articles == expected, row["slug"]
    with ingestor.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Version)) == len(rows)
        query = select(Version.label, func.count(Provision.id)).join(Provision).group_by(Version.label)
        counts = {label: n for label, n in session.execute(query).tuples()}
    assert counts["145/2020/NĐ-CP"] == 115
    assert counts["18/VBHN-VPQH"] >= 220
    again = ingestor.ingest_path(raw(shared_dir, "nd-145-2020-nd-cp"))
    assert again.status == "unchanged"


def test_labour_code_versions_2012_2019_consolidated(ingestor: Ingestor, shared_dir: Path) -> None:
    for slug in ("blld-2019-vbhn-18-2026-vpqh", "blld-2012-10-2012-qh13", "blld-2019-45-2019-qh14"):
        assert ingestor.ingest_path(raw(shared_dir, slug)).status == "ingested"
    with ingestor.db.session() as session:
        old = find_work(session, "10/2012/QH13")
        assert old is not None and old.replaced_by == "45/2019/QH14"
        assert old.repealed_on == date(2021, 1, 1)
    assert article(ingestor, "10/2012/QH13", date(2020, 12, 31), "1") is not None
    assert article(ingestor, "10/2012/QH13", date(2021, 1, 1), "1") is None
    assert article(ingestor, "45/2019/QH14", date(2020, 12, 31), "1") is None
    before = article(ingestor, "45/2019/QH14", date(2026, 3, 1), "139")
    after = article(ingestor, "45/2019/QH14", date(2026, 8, 1), "139")
    assert before is not None and after is not None
    assert "sinh con thứ hai" not in before and "06 tháng" in before
    assert "sinh con thứ hai" in after
    with ingestor.db.session() as session:
        work = find_work(session, "45/2019/QH14")
        assert work is not None
        labels = {r.version.label for r in text_as_of(session, work, date(2026, 3, 1))}
        assert labels == {"18/VBHN-VPQH", "45/2019/QH14"}
        assert {r.version.label for r in text_as_of(session, work, date(2026, 8, 1))} == {"18/VBHN-VPQH"}
        assert {r.version.label for r in text_as_of(session, work, date(2025, 1, 1))} == {"45/2019/QH14"}


def test_union_law_2012_replaced_by_2024(ingestor: Ingestor, shared_dir: Path) -> None:
    ingestor.ingest_path(raw(shared_dir, "luat-cong-doan-2012-12-2012-qh13"))
    result = ingestor.ingest_path(
        raw(shared_dir, "luat-cong-doan-2024-50-2024-qh15"), Overrides(replaces=("12/2012/QH13",))
    )
    assert result.valid_from == "2025-07-01"
    assert article(ingestor, "12/2012/QH13", date(2025, 6, 30), "1") is not None
    assert article(ingestor, "12/2012/QH13", date(2025, 7, 1), "1") is None
    assert article(ingestor, "50/2024/QH15", date(2025, 7, 1), "1") is not None
    assert article(ingestor, "50/2024/QH15", date(2025, 6, 30), "1") is None


def test_replacement_recorded_when_old_law_arrives_later(ingestor: Ingestor, shared_dir: Path) -> None:
    ingestor.ingest_path(raw(shared_dir, "luat-cong-doan-2024-50-2024-qh15"))
    ingestor.ingest_path(raw(shared_dir, "luat-cong-doan-2012-12-2012-qh13"))
    assert article(ingestor, "12/2012/QH13", date(2025, 7, 1), "1") is None
    assert article(ingestor, "12/2012/QH13", date(2024, 1, 1), "1") is not None


def test_changed_file_makes_new_version_and_keeps_old(ingestor: Ingestor, tmp_path: Path, shared_dir: Path) -> None:
    source = raw(shared_dir, "nd-293-2025-nd-cp").read_text(encoding="utf-8")
    path = tmp_path / "nd-293-2025-nd-cp.txt"
    path.write_text(source, encoding="utf-8")
    assert ingestor.ingest_path(path).status == "ingested"
    assert ingestor.ingest_path(path).status == "unchanged"
    path.write_text(source.replace("5.310.000", "5.310.001", 1), encoding="utf-8")
    assert ingestor.ingest_path(path).status == "ingested"
    with ingestor.db.session() as session:
        work = find_work(session, "293/2025/NĐ-CP")
        assert work is not None and len(work.versions) == 2
        current = text_as_of(session, work, date(2026, 6, 1), "3")
        assert "5.310.001" in current[0].provision.text


def test_scope_is_stored_for_internal_documents(ingestor: Ingestor) -> None:
    sample = Path(__file__).resolve().parents[2] / "corpus" / "samples" / "quy-che-chi-tieu-noi-bo-mau.txt"
    result = ingestor.ingest_path(sample, Overrides(scope="CDCS-ABC"))
    assert result.status == "ingested" and result.articles == 7
    with ingestor.db.session() as session:
        work = session.scalar(select(Work).where(Work.number == result.work_number))
        assert work is not None and work.scope_unit_code == "CDCS-ABC"


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "trống"), (b"   \n\n ", "trống"), ("Văn bản không có điều nào.\nChỉ là lời văn.".encode(), "Điều")],
)
def test_bad_inputs_leave_nothing_written(ingestor: Ingestor, tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        ingestor.ingest_path(path, Overrides(number="1/2020/QH14"))
    assert needle.lower() in str(info.value).lower()
    with ingestor.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Work)) == 0
        assert session.scalar(select(func.count()).select_from(Version)) == 0


def test_remove_work_everywhere_and_reopen_what_it_replaced(ingestor: Ingestor, shared_dir: Path) -> None:
    ingestor.ingest_path(raw(shared_dir, "luat-cong-doan-2012-12-2012-qh13"))
    ingestor.ingest_path(raw(shared_dir, "luat-cong-doan-2024-50-2024-qh15"))
    assert remove_work(ingestor.db, "50/2024/QH15") == 1
    with ingestor.db.session() as session:
        assert find_work(session, "50/2024/QH15") is None
        assert session.scalar(select(func.count()).select_from(Provision)) == 33
    assert article(ingestor, "12/2012/QH13", date(2026, 1, 1), "1") is not None
    with pytest.raises(IngestError):
        remove_work(ingestor.db, "50/2024/QH15")


def test_catalogue_closes_a_charter_replaced_by_a_text_not_in_the_corpus(ingestor: Ingestor, shared_dir: Path) -> None:
    result = ingestor.ingest_path(raw(shared_dir, "dieu-le-cong-doan-khoa-xii-2020-174-qd-tld"))
    assert result.valid_to == "2023-12-03"
    assert article(ingestor, "174/QĐ-TLĐ", date(2023, 1, 1), "1") is not None
    assert article(ingestor, "174/QĐ-TLĐ", date(2026, 1, 1), "1") is None


def test_catalogue_edit_applies_to_works_already_ingested(ingestor: Ingestor, shared_dir: Path) -> None:
    from ingestion.catalogue import CatalogueEntry
    from ingestion.pipeline import apply_catalogue

    ingestor.catalogue = Catalogue([])
    ingestor.ingest_path(raw(shared_dir, "nd-135-2020-nd-cp"), Overrides(number="135/2020/NĐ-CP"))
    assert article(ingestor, "135/2020/NĐ-CP", date(2026, 1, 1), "1") is not None
    entry = CatalogueEntry(number="135/2020/NĐ-CP", repealed_on=date(2025, 6, 1), replaced_by="X/2025/NĐ-CP")
    assert apply_catalogue(ingestor.db, Catalogue([entry])) == 1
    assert article(ingestor, "135/2020/NĐ-CP", date(2026, 1, 1), "1") is None
    assert article(ingestor, "135/2020/NĐ-CP", date(2025, 5, 31), "1") is not None
    assert apply_catalogue(ingestor.db, Catalogue([entry])) == 0


def test_a_consolidated_text_known_but_not_ingested_is_recorded_on_the_work(
    ingestor: Ingestor, shared_dir: Path
) -> None:
    ingestor.ingest_path(raw(shared_dir, "blld-2019-45-2019-qh14"))
    with ingestor.db.session() as session:
        work = find_work(session, "45/2019/QH14")
        assert work is not None
        assert (work.newer_text, work.newer_text_from) == ("18/VBHN-VPQH", date(2026, 1, 1))
    ingestor.ingest_path(raw(shared_dir, "blld-2019-vbhn-18-2026-vpqh"))
    with ingestor.db.session() as session:
        work = find_work(session, "45/2019/QH14")
        assert work is not None
        assert (work.newer_text, work.newer_text_from) == (None, None)


def test_a_law_replaced_by_a_text_not_in_the_corpus_is_closed_on_its_date(
    ingestor: Ingestor, shared_dir: Path
) -> None:
    ingestor.ingest_path(raw(shared_dir, "luat-cong-doan-2012-12-2012-qh13"))
    assert article(ingestor, "12/2012/QH13", date(2025, 6, 30), "1") is not None
    assert article(ingestor, "12/2012/QH13", date(2025, 7, 1), "1") is None
    with ingestor.db.session() as session:
        work = find_work(session, "12/2012/QH13")
        assert work is not None
        assert (work.repealed_on, work.replaced_by) == (date(2025, 7, 1), "50/2024/QH15")
