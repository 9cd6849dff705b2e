"""Chunking: short articles whole, long ones by clause, heading always indexed, exact text kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assistant.retrieval.chunks import (
    LONG_CLAUSE_CHARS,
    SPLIT_THRESHOLD_CHARS,
    Part,
    chunk_from_dict,
    chunk_to_dict,
    chunks_from_provision,
    clause_text,
)
from assistant.retrieval.selection import best_part
from tests.assistant.retrieval.retrieval_sample import BLLD_2019, article_chunks, parse_articles


def test_long_article_is_split_by_clause_with_heading_indexed() -> None:
    article = parse_articles(BLLD_2019)[113]
    assert len(article.text) >= SPLIT_THRESHOLD_CHARS
    chunks = article_chunks([113])
    assert [c.clause for c in chunks] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [c.id for c in chunks][:2] == ["blld-113:1", "blld-113:2"]
    first = chunks[0]
    assert first.heading == "Điều 113. Nghỉ hằng năm"
    assert first.index_text.startswith("Bộ luật Lao động\nĐiều 113. Nghỉ hằng năm\n1. Người lao động")
    # The quoted text is exactly the clause as stored, points included; the points are also kept apart.
    assert first.text == article.clauses[0]["text"]
    assert [p.point for p in first.parts] == ["a", "b", "c"]
    assert first.parts[0].text.startswith("12 ngày làm việc")


def test_short_article_is_one_chunk_that_remembers_its_clauses() -> None:
    article = parse_articles(BLLD_2019)[114]
    assert len(article.text) < SPLIT_THRESHOLD_CHARS
    (chunk,) = article_chunks([114])
    assert chunk.id == "blld-114:0"
    assert chunk.clause is None
    assert chunk.text == article.text

    (with_clauses,) = article_chunks([25])  # Thời gian thử việc: short, with clauses
    assert [p.clause for p in with_clauses.parts if p.point is None] == ["1", "2", "3", "4"]


def test_lead_in_is_indexed_with_every_clause_but_not_quoted() -> None:
    chunks = chunks_from_provision(
        provision_id=7,
        work_number="50/2024/QH15",
        version_label="50/2024/QH15",
        document_title="Luật Công đoàn",
        article=10,
        article_label="10",
        title="Quyền của đoàn viên công đoàn",
        text="x" * 2000,
        clauses=[{"number": "1", "text": "1. Được thông tin."}, {"number": "2", "text": "2. Được bảo vệ."}],
        intro="Đoàn viên công đoàn có các quyền sau đây:",
        context="Chương II",
        valid_from=date(2025, 7, 1),
        valid_to=None,
    )
    assert [c.text for c in chunks] == ["1. Được thông tin.", "2. Được bảo vệ."]
    assert all("có các quyền sau đây" in c.index_text for c in chunks)
    assert all(c.provision_id == "7" for c in chunks)


def test_points_stored_apart_from_the_clause_are_joined() -> None:
    clause = {"number": "1", "text": "1. Các trường hợp sau:", "points": [{"label": "a", "text": "Kết hôn;"}]}
    assert clause_text(clause) == "1. Các trường hợp sau:\na) Kết hôn;"
    joined = {
        "number": "1",
        "text": "1. Các trường hợp sau:\na) Kết hôn;",
        "points": [{"label": "a", "text": "Kết hôn;"}],
    }
    assert clause_text(joined) == joined["text"]


def test_a_very_long_clause_is_split_by_point_with_its_lead_in_indexed() -> None:
    points = [{"label": label, "text": f"Trường hợp {label}: " + "nội dung dài" * 40} for label in "abcd"]
    lead = "1. Người sử dụng lao động có quyền đơn phương chấm dứt hợp đồng trong trường hợp sau đây:"
    clause_text_ = "\n".join([lead, *(f"{p['label']}) {p['text']}" for p in points)])
    assert len(clause_text_) > LONG_CLAUSE_CHARS
    chunks = chunks_from_provision(
        provision_id=36,
        work_number="45/2019/QH14",
        version_label="v",
        document_title="Bộ luật Lao động",
        article=36,
        article_label="36",
        title="Quyền đơn phương chấm dứt hợp đồng lao động của người sử dụng lao động",
        text=clause_text_ + "\n2. Ngắn.",
        clauses=[{"number": "1", "text": clause_text_, "points": points}, {"number": "2", "text": "2. Ngắn."}],
        valid_from=date(2021, 1, 1),
        valid_to=None,
    )
    assert [(c.id, c.clause, c.point) for c in chunks] == [
        ("36:1.a", "1", "a"),
        ("36:1.b", "1", "b"),
        ("36:1.c", "1", "c"),
        ("36:1.d", "1", "d"),
        ("36:2", "2", None),
    ]
    assert chunks[0].text == points[0]["text"]
    assert lead in chunks[0].index_text and lead not in chunks[0].text
    assert best_part(chunks[1], {}) == Part("1", "b", points[1]["text"])


def test_repeated_clause_numbers_get_distinct_ids() -> None:
    chunks = chunks_from_provision(
        provision_id="p",
        work_number="w",
        version_label="v",
        document_title="t",
        article=1,
        article_label="1",
        title="T",
        text="y" * 1500,
        clauses=[{"number": "1", "text": "1. a"}, {"number": "1", "text": "1. b"}],
        valid_from=date(2020, 1, 1),
        valid_to=None,
    )
    assert len({c.id for c in chunks}) == 2


def test_dict_round_trip_and_content_hash() -> None:
    chunk = article_chunks([113])[0]
    again = chunk_from_dict(chunk_to_dict(chunk))
    assert again == chunk
    assert again.content_hash == chunk.content_hash
    assert replace(chunk, valid_to=date(2030, 1, 1)).content_hash != chunk.content_hash
    assert replace(chunk, scope_unit_code="CD-01").content_hash != chunk.content_hash
