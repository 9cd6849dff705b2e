"""Ages, durations and headcounts in questions, and the ranges clauses are written for."""

from __future__ import annotations

import math

import pytest

from assistant.retrieval.quantities import Fit, Span, clause_ranges, fit, question_quantities


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("Thời giờ làm việc của người chưa đủ 15 tuổi không được quá 04 giờ", [Span("tuoi", 0, 15)]),
        ("Người từ đủ 15 tuổi đến chưa đủ 18 tuổi không được làm", [Span("tuoi", 15, 18)]),
        ("Người từ đủ 13 tuổi đến chưa đủ 15 tuổi chỉ được làm công việc nhẹ", [Span("tuoi", 13, 15)]),
        ("Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động", [Span("thang", 12, math.inf)]),
        ("Người lao động làm việc chưa đủ 12 tháng cho một người", [Span("thang", 0, 12)]),
        (
            "nếu sử dụng từ 10 người lao động trở lên thì nội quy lao động phải bằng văn bản, nếu sử dụng dưới 10 "
            "người lao động thì",
            [Span("nguoi", 10, math.inf), Span("nguoi", 0, 10)],
        ),
        ("hợp đồng lao động có thời hạn từ đủ 01 tháng trở lên", [Span("thang", 1, math.inf)]),
        ("hợp đồng có thời hạn từ 01 tháng đến dưới 03 tháng", [Span("thang", 1, 3)]),
        ("đã đóng bảo hiểm xã hội từ đủ 15 năm trở lên", [Span("thang", 180, math.inf)]),
        # A child's age in months is not a duration, and a limit ("không quá") is the rule, not who it is for.
        ("người lao động nuôi con dưới 06 tháng tuổi", []),
        ("Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày", []),
        ("tro cap that nghiep hang thang bang 60% muc binh quan", []),
    ],
)
def test_a_clause_states_the_ranges_it_is_written_for(text: str, ranges: list[Span]) -> None:
    assert list(clause_ranges(text)) == ranges


def test_a_question_states_values_and_ranges_without_marks_too() -> None:
    assert question_quantities("con toi 14 tuoi muon di lam he") == (Span("tuoi", 14, 14, closed=True),)
    assert question_quantities("mới vào làm 5 tháng") == (Span("thang", 5, 5, closed=True),)
    assert question_quantities("làm được 2 năm rồi") == (Span("thang", 24, 24, closed=True),)
    assert question_quantities("quan cafe co 6 nhan vien") == (Span("nguoi", 6, 6, closed=True),)
    assert question_quantities("hợp đồng dưới 1 tháng có phải thử việc không") == (Span("thang", 0, 1),)
    assert question_quantities("lương 9 củ có thấp không") == ()


def test_a_clause_fits_is_excluded_or_says_nothing() -> None:
    fourteen = question_quantities("con tôi 14 tuổi được làm mấy tiếng một ngày")
    assert fit(fourteen, "người chưa đủ 15 tuổi không được quá 04 giờ") is Fit.FITS
    assert fit(fourteen, "người từ đủ 15 tuổi đến chưa đủ 18 tuổi không được quá 08 giờ") is Fit.EXCLUDED
    assert fit(fourteen, "Thời giờ làm việc bình thường không quá 08 giờ") is Fit.NEUTRAL
    assert fit((), "người chưa đủ 15 tuổi") is Fit.NEUTRAL
    # Bounds: "chưa đủ 15" excludes 15, "từ đủ 15" holds it.
    fifteen = question_quantities("em 15 tuoi")
    assert fit(fifteen, "người chưa đủ 15 tuổi") is Fit.EXCLUDED
    assert fit(fifteen, "người từ đủ 15 tuổi đến chưa đủ 18 tuổi") is Fit.FITS
    # A range asked about fits the clause written for the same range, not the neighbouring one.
    under = question_quantities("Người chưa đủ 15 tuổi làm việc tối đa mấy giờ")
    assert fit(under, "Thời giờ làm việc của người chưa đủ 15 tuổi") is Fit.FITS
    assert fit(under, "người từ đủ 15 tuổi đến chưa đủ 18 tuổi") is Fit.EXCLUDED
    # Years are months: 2 years is past "đủ 12 tháng".
    assert fit(question_quantities("lam 2 nam"), "làm việc đủ 12 tháng cho một người") is Fit.FITS
    # Another unit says nothing.
    assert fit(question_quantities("cty co 20 nguoi"), "người chưa đủ 15 tuổi") is Fit.NEUTRAL


def test_of_two_fitting_clauses_the_narrower_range_is_the_more_specific() -> None:
    from assistant.retrieval.quantities import width

    fourteen = question_quantities("con tôi 14 tuổi")
    assert width(fourteen, "người từ đủ 13 tuổi đến chưa đủ 15 tuổi") == 2
    assert width(fourteen, "người chưa đủ 18 tuổi") == 18
    # Open-ended ranges fit but are the widest; a clause that does not fit has no width at all.
    assert width(fourteen, "người từ đủ 13 tuổi trở lên") == math.inf
    assert width(fourteen, "người từ đủ 15 tuổi đến chưa đủ 18 tuổi") == math.inf
    assert fit(fourteen, "người từ đủ 13 tuổi trở lên") is Fit.FITS
