"""Footnote markers and amendment notes of consolidated texts."""

from __future__ import annotations

from datetime import date

import pytest

from ingestion.footnotes import Amendment, parse_amendment, split_notes, strip_markers


@pytest.mark.parametrize(
    ("line", "clean", "markers"),
    [
        ("1.[4] Lao động nữ được nghỉ thai sản", "1. Lao động nữ được nghỉ thai sản", [4]),
        ("a)2[2]Thành lập cơ sở", "a)Thành lập cơ sở", [2]),
        ("8a.5[5] Nhân lực công nghiệp", "8a. Nhân lực công nghiệp", [5]),
        ("ĐIỀU KHOẢN THI HÀNH6[6]", "ĐIỀU KHOẢN THI HÀNH", [6]),
        ("Quốc hội ban hành Bộ luật Lao động[1].", "Quốc hội ban hành Bộ luật Lao động.", [1]),
        ("theo khoản 11[1] Điều 5", "theo khoản 11 Điều 5", [1]),  # 11 is not a copy of 1
        ("Không có chú thích nào.", "Không có chú thích nào.", []),
    ],
)
def test_strip_markers(line: str, clean: str, markers: list[int]) -> None:
    assert strip_markers(line) == (clean, markers)


def test_split_notes_with_header_and_plain_numbers() -> None:
    lines = [
        "Điều 1. Một",
        "1. Khoản.",
        "--- CHÚ THÍCH (footnotes, extracted from PDF) ---",
        "1 Luật A có căn cứ ban hành như sau:",
        "tiếp tục ghi chú một",
        "2 Khoản này được bổ sung theo Luật số 2/2030/QH16.",
        "2030 không phải ghi chú mới vì không đúng thứ tự",
    ]
    body, notes = split_notes(lines, last_heading=0)
    assert body == lines[:2]
    assert notes == {
        1: "Luật A có căn cứ ban hành như sau: tiếp tục ghi chú một",
        2: "Khoản này được bổ sung theo Luật số 2/2030/QH16. "
        "2030 không phải ghi chú mới vì không đúng thứ tự",
    }


def test_brackets_in_the_body_are_not_notes() -> None:
    lines = ["[1] dòng trong phần mở đầu", "Điều 1. Một", "Nội dung."]
    assert split_notes(lines, last_heading=1) == (lines, {})


AMENDMENTS = [
    (
        "Khoản này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 29 của Luật Dân số số 113/2025/QH15, "
        "có hiệu lực kể từ ngày 01 tháng 7 năm 2026.",
        Amendment(4, "khoản", "sửa đổi, bổ sung", "113/2025/QH15", date(2026, 7, 1)),
    ),
    (
        "4 Điểm này được sửa đổi, bổ sung theo quy định tại điểm a khoản 1 Điều 43 của Luật Giáo dục nghề "
        "nghiệp số 124/2025/QH15, có hiệu lực kể từ ngày 01 tháng 01 năm 2026.",
        Amendment(4, "điểm", "sửa đổi, bổ sung", "124/2025/QH15", date(2026, 1, 1)),
    ),
    (
        "Điều này được bãi bỏ theo quy định tại Điều 10 của Luật số 5/2031/QH16, có hiệu lực thi hành từ "
        "ngày 15/02/2032.",
        Amendment(4, "điều", "bãi bỏ", "5/2031/QH16", date(2032, 2, 15)),
    ),
    (
        "Cụm từ “thanh tra,” được bỏ theo quy định tại điểm s khoản 1 Điều 62 của Luật Thanh tra số "
        "84/2025/QH15, có hiệu lực kể từ ngày 01 tháng 7 năm 2025.",
        Amendment(4, "cụm từ", "bỏ", "84/2025/QH15", date(2025, 7, 1)),
    ),
    (
        "Khoản 8a được bổ sung theo Nghị định số 12/2031/NĐ-CP.",
        Amendment(4, "khoản", "bổ sung", "12/2031/NĐ-CP", None),
    ),
    (
        "Tên điều được sửa đổi theo quy định tại Luật số 7/2031/QH16, có hiệu lực kể từ ngày 31 tháng 02 "
        "năm 2032.",
        Amendment(4, "tên điều", "sửa đổi", "7/2031/QH16", None),  # an impossible date is not invented
    ),
]


@pytest.mark.parametrize(("note", "expected"), AMENDMENTS)
def test_parse_amendment(note: str, expected: Amendment) -> None:
    assert parse_amendment(note, 4) == expected


@pytest.mark.parametrize(
    "note",
    [
        "Luật Nhà giáo số 73/2025/QH15 có căn cứ ban hành như sau: “Căn cứ Hiến pháp nước Cộng hòa xã hội "
        "chủ nghĩa Việt Nam đã được sửa đổi, bổ sung một số điều theo Nghị quyết số 203/2025/QH15”.",
        "Điều 50 của Luật Công nghiệp công nghệ số số 71/2025/QH15, có hiệu lực kể từ ngày 01 tháng 01 năm "
        "2026 quy định như sau: “Điều 50. Hiệu lực thi hành 1. Khoản 2 được sửa đổi, bổ sung…”",
        "Văn bản này được đăng Công báo.",
        "",
    ],
)
def test_notes_that_are_not_amendments(note: str) -> None:
    assert parse_amendment(note, 1) is None
