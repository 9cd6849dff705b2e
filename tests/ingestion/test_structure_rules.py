"""The parser's rules on small made-up texts: what opens an article, a clause, a point, a heading."""

from __future__ import annotations

from datetime import date

import pytest

from ingestion.errors import IngestError, StructureError
from ingestion.structure import parse_document

HEADER = """QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Luật số: 99/2030/QH16 Hà Nội, ngày 05 tháng 3 năm 2030
LUẬT
THỬ NGHIỆM
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Thử nghiệm.
"""


def test_no_article_is_a_structure_error_in_vietnamese() -> None:
    with pytest.raises(StructureError) as caught:
        parse_document("Biên bản họp công đoàn cơ sở\nNội dung: bàn về kế hoạch năm.\n")
    assert isinstance(caught.value, IngestError)
    message = str(caught.value)
    assert "Không tìm thấy điều nào" in message and "\n" not in message
    with pytest.raises(StructureError):
        parse_document("")


def test_header_fields_and_enacting_title() -> None:
    document = parse_document(HEADER + "Điều 1. Phạm vi\nLuật này quy định thử nghiệm.\n")
    header = document.header
    assert (header.number, header.doc_type, header.issuer, header.issued_on, header.title) == (
        "99/2030/QH16",
        "Luật",
        "Quốc hội",
        date(2030, 3, 5),
        "Luật Thử nghiệm",
    )
    assert document.articles[0].intro == "Luật này quy định thử nghiệm."
    assert document.articles[0].clauses == []


def test_header_returns_none_for_what_is_not_there() -> None:
    header = parse_document("Điều 1. Phạm vi\nVăn bản này không có phần đầu.\n").header
    assert (header.number, header.doc_type, header.issuer, header.issued_on, header.title) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_only_the_next_number_opens_an_article() -> None:
    text = HEADER + (
        "Điều 1. Một\n"
        "1. Khoản một dẫn chiếu:\n"
        "Điều 50. Đây là dòng trích dẫn bị xuống dòng, không phải điều mới.\n"
        "2. Khoản hai.\n"
        "Điều 2. Hai\n"
        "Nội dung điều hai.\n"
    )
    document = parse_document(text)
    assert [a.label for a in document.articles] == ["1", "2"]
    first = document.articles[0]
    assert [c.number for c in first.clauses] == ["1", "2"]
    assert (
        first.clauses[0].text
        == "Khoản một dẫn chiếu:\nĐiều 50. Đây là dòng trích dẫn bị xuống dòng, không phải điều mới."
    )


def test_lettered_articles_and_a_gap_in_the_source() -> None:
    text = (
        "Điều 1. Một\nNội dung.\n"
        "Điều 2. Hai\nNội dung.\n"
        "Điều 2a. Hai a\nNội dung bổ sung.\n"
        "Điều 2b. Hai b\nNội dung bổ sung.\n"
        "Điều 4. Bốn (điều 3 bị mất khi chuyển đổi)\nNội dung.\n"
    )
    document = parse_document(text)
    assert [(a.number, a.label) for a in document.articles] == [
        (1, "1"),
        (2, "2"),
        (2, "2a"),
        (2, "2b"),
        (4, "4"),
    ]


def test_quoted_articles_and_clauses_stay_inside_the_point() -> None:
    text = (
        "Điều 1. Sửa đổi luật khác\n"
        "1. Sửa đổi một số điều của Luật X như sau:\n"
        "a) Sửa đổi Điều 2 như sau:\n"
        "“Điều 2. Nội dung mới\n"
        "1. Khoản mới.\n"
        "a) Điểm mới.”;\n"
        "b) Bãi bỏ Điều 3.\n"
        "Điều 2. Hiệu lực\n"
        "Luật này có hiệu lực.\n"
    )
    document = parse_document(text)
    assert [a.label for a in document.articles] == ["1", "2"]
    clause = document.articles[0].clauses[0]
    assert [p.label for p in clause.points] == ["a", "b"]
    assert (
        clause.points[0].text
        == "Sửa đổi Điều 2 như sau:\n“Điều 2. Nội dung mới\n1. Khoản mới.\na) Điểm mới.”;"
    )


def test_clause_and_point_labels_must_follow_their_sequence() -> None:
    text = (
        "Điều 1. Trình tự\n"
        "1. Khoản một:\n"
        "a) Điểm a;\n"
        "c) không phải điểm vì thiếu điểm b;\n"
        "b) Điểm b.\n"
        "3. Không phải khoản vì thiếu khoản 2.\n"
        "2. Khoản hai.\n"
        "2a. Khoản hai a.\n"
    )
    dieu = parse_document(text).articles[0]
    assert [c.number for c in dieu.clauses] == ["1", "2", "2a"]
    assert [p.label for p in dieu.clauses[0].points] == ["a", "b"]
    assert dieu.clauses[0].points[0].text == "Điểm a;\nc) không phải điểm vì thiếu điểm b;"
    assert dieu.clauses[0].points[1].text == "Điểm b.\n3. Không phải khoản vì thiếu khoản 2."


def test_points_directly_under_an_article() -> None:
    dieu = parse_document("Điều 1. Quyền\nNgười lao động có quyền:\na) Làm việc;\nb) Nghỉ ngơi.\n").articles[
        0
    ]
    assert dieu.intro == "Người lao động có quyền:"
    assert dieu.clauses == []
    assert [(p.label, p.text) for p in dieu.points] == [("a", "Làm việc;"), ("b", "Nghỉ ngơi.")]


def test_title_on_its_own_line() -> None:
    dieu = parse_document("Điều 1.\nPhạm vi điều chỉnh\nNghị định này quy định…\n").articles[0]
    assert dieu.title == "Phạm vi điều chỉnh"
    assert dieu.intro == "Nghị định này quy định…"


def test_headings_build_the_chapter_path() -> None:
    text = (
        "Phần thứ nhất\nQUY ĐỊNH CHUNG\n"
        "Chương I\nPHẠM VI VÀ\nĐỐI TƯỢNG\n"
        "Điều 1. Một\nNội dung.\n"
        "Mục 2. CÁC QUYỀN\n"
        "Điều 2. Hai\nNội dung.\n"
        "Chương II:TRÁCH NHIỆM\n"
        "Điều 3. Ba\nNội dung.\n"
    )
    articles = parse_document(text).articles
    assert [(a.part, a.chapter, a.section) for a in articles] == [
        ("Phần thứ nhất. QUY ĐỊNH CHUNG", "Chương I. PHẠM VI VÀ ĐỐI TƯỢNG", None),
        ("Phần thứ nhất. QUY ĐỊNH CHUNG", "Chương I. PHẠM VI VÀ ĐỐI TƯỢNG", "Mục 2. CÁC QUYỀN"),
        ("Phần thứ nhất. QUY ĐỊNH CHUNG", "Chương II. TRÁCH NHIỆM", None),
    ]
    assert articles[0].text == "Nội dung."  # the headings are not part of the article before them


def test_signature_block_and_appendix_end_the_last_article() -> None:
    text = (
        "Điều 1. Hiệu lực\nNghị định này có hiệu lực từ ngày ký. Nơi nhận: TM. CHÍNH PHỦ\n"
        "- Như trên; THỦ TƯỚNG\n"
        "Phụ lục\nMẪU BIÊN BẢN\n"
        "Điều 1. Điều khoản trong mẫu hợp đồng\n"
        "Điều 2. Điều khoản khác trong mẫu\n"
    )
    document = parse_document(text)
    assert [a.label for a in document.articles] == ["1"]
    assert document.articles[0].text == "Nghị định này có hiệu lực từ ngày ký."
    assert document.appendices == ["Phụ lục. MẪU BIÊN BẢN"]


def test_bracketed_notes_without_a_header_are_footnotes() -> None:
    text = (
        "Điều 1. Một[1]\n"
        "1.[2] Khoản một.\n"
        "a)3[3]Điểm a.\n"
        "Điều 2. Hai\n"
        "Nội dung khoản 11[1] vẫn giữ số 11.\n"
        "[1] 1 Điều này được sửa đổi theo Luật số 1/2031/QH16, có hiệu lực kể từ ngày 01/01/2032.\n"
        "[2] Khoản này được bãi bỏ theo Luật số 1/2031/QH16.\n"
        "[3] 3 Điểm này được bổ sung theo Luật số 1/2031/QH16\n"
        "và nối tiếp sang dòng sau.\n"
    )
    document = parse_document(text)
    first, second = document.articles
    assert (first.title, first.footnotes) == ("Một", [1, 2, 3])
    assert first.clauses[0].footnotes == [2]
    assert (first.clauses[0].points[0].text, first.clauses[0].points[0].footnotes) == ("Điểm a.", [3])
    assert first.text == "1. Khoản một.\na) Điểm a."
    assert second.text == "Nội dung khoản 11 vẫn giữ số 11."
    assert document.footnotes == {
        1: "Điều này được sửa đổi theo Luật số 1/2031/QH16, có hiệu lực kể từ ngày 01/01/2032.",
        2: "Khoản này được bãi bỏ theo Luật số 1/2031/QH16.",
        3: "Điểm này được bổ sung theo Luật số 1/2031/QH16 và nối tiếp sang dòng sau.",
    }


def test_windows_line_endings_and_decomposed_unicode() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Điều 1. Phạm vi điều chỉnh\r\n1. Khoản một.\r\n")
    dieu = parse_document(text).articles[0]
    assert dieu.title == "Phạm vi điều chỉnh"
    assert dieu.clauses[0].text == "Khoản một."
