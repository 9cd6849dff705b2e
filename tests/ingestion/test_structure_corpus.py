"""Every text of the shared raw corpus parses into the articles SOURCES.tsv counted."""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ingestion.structure import ParsedDocument, parse_document

SOURCES_TSV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "SOURCES.tsv"
SIGNATURE_LEAKS = (
    "Nơi nhận",
    "CHỦ TỊCH QUỐC HỘI",
    "TM. CHÍNH PHỦ",
    "CHÚ THÍCH",
    "XÁC THỰC VĂN BẢN",
    "(Đã ký)",
)


def _sources() -> list[dict[str, str]]:
    if not SOURCES_TSV.is_file():
        return []
    with SOURCES_TSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _expected_count(row: dict[str, str]) -> int:
    match = re.match(r"\d+", row["article_count_found"])
    assert match, row
    return int(match.group())


SOURCES = _sources()
SOURCE_PARAMS = [pytest.param(row, id=row["slug"]) for row in SOURCES] or [
    pytest.param(None, marks=pytest.mark.skip(reason=f"{SOURCES_TSV} not found (shared corpus missing)"))
]


@pytest.mark.parametrize("row", SOURCE_PARAMS)
def test_article_count_matches_sources(
    row: dict[str, str], parse_raw: Callable[[str], ParsedDocument]
) -> None:
    document = parse_raw(row["slug"])
    expected = _expected_count(row)
    assert len(document.articles) == expected
    # Điều 1..N without gaps or repeats: no quoted "Điều 1." of a form slipped in.
    assert [article.number for article in document.articles] == list(range(1, expected + 1))
    assert all(article.title for article in document.articles)


@pytest.mark.parametrize("row", SOURCE_PARAMS)
def test_every_clause_and_point_is_quoted_from_its_article(
    row: dict[str, str], parse_raw: Callable[[str], ParsedDocument]
) -> None:
    document = parse_raw(row["slug"])
    for article in document.articles:
        assert article.intro in article.text, article.label
        assert "[" not in article.title
        for clause in article.clauses:
            assert clause.text in article.text, (article.label, clause.number)
            assert not re.search(r"\d\[\d+\]|\[\d+\]", clause.text), (article.label, clause.number)
            for point in clause.points:
                assert point.text in article.text, (article.label, clause.number, point.label)
                assert not re.search(r"\[\d+\]", point.text)
        numbers = [clause.number for clause in article.clauses]
        assert len(numbers) == len(set(numbers)), article.label


@pytest.mark.parametrize("row", SOURCE_PARAMS)
def test_nothing_after_the_body_leaks_into_the_last_article(
    row: dict[str, str], parse_raw: Callable[[str], ParsedDocument]
) -> None:
    document = parse_raw(row["slug"])
    last = document.articles[-1]
    for leak in SIGNATURE_LEAKS:
        assert leak not in last.text, leak
    assert not re.search(r"(Bộ luật|Luật) này (đã )?được Quốc hội", last.text)
    for note in document.footnotes.values():
        assert note[:40] not in last.text


@pytest.mark.parametrize("row", SOURCE_PARAMS)
def test_header_number_matches_sources_when_the_text_carries_one(
    row: dict[str, str], parse_raw: Callable[[str], ParsedDocument]
) -> None:
    header = parse_raw(row["slug"]).header
    # Never invented: either the official number or nothing (two texts lost their "Số:" line).
    assert header.number in (row["official_number"], None)
    if header.issued_on is not None:
        assert header.issued_on.isoformat() == row["issue_date"][:10]


def test_whole_corpus_parses_in_well_under_a_few_seconds(raw_corpus: Path) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(raw_corpus.glob("*.txt"))]
    started = time.perf_counter()
    articles = sum(len(parse_document(text).articles) for text in texts)
    elapsed = time.perf_counter() - started
    if SOURCES:
        assert articles == sum(_expected_count(row) for row in SOURCES)
    assert elapsed < 3.0, f"parsing the corpus took {elapsed:.2f} s"
