from __future__ import annotations

from datetime import date

from assistant.answering.grounding import (
    claimed_numbers,
    normalize_number,
    numbers_in,
    verify,
    words_to_number,
)
from assistant.answering.passages import Passage
from assistant.legal import Citation

ART35 = (
    "1. Người lao động có quyền đơn phương chấm dứt hợp đồng lao động nhưng phải báo trước cho người sử "
    "dụng lao động như sau:\n"
    "a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;\n"
    "b) Ít nhất 30 ngày nếu làm việc theo hợp đồng lao động xác định thời hạn có thời hạn từ 12 tháng đến 36 "
    "tháng;\n"
    "c) Ít nhất 03 ngày làm việc nếu làm việc theo hợp đồng lao động xác định thời hạn có thời hạn "
    "dưới 12 tháng;"
)


def passage(text: str = ART35, article: int = 35) -> Passage:
    return Passage(
        number=1,
        work_number="45/2019/QH14",
        version_label="18/VBHN-VPQH",
        document_title="Bộ luật Lao động 2019",
        article=article,
        clause=None,
        point=None,
        heading=f"Điều {article}.",
        text=text,
        score=1.0,
        valid_from=date(2026, 1, 1),
        valid_to=None,
    )


def cite(quote: str, article: int = 35, clause: int | None = 1, point: str | None = None) -> Citation:
    return Citation(
        work_number="45/2019/QH14",
        version_label="18/VBHN-VPQH",
        document_title="Bộ luật Lao động 2019",
        article=article,
        clause=clause,
        point=point,
        quote=quote,
    )


def test_numbers_are_normalised() -> None:
    assert normalize_number("06") == "6"
    assert normalize_number("4.960.000") == "4960000"
    assert normalize_number("1,5") == "1.5"
    assert words_to_number("bốn mươi lăm") == 45
    assert words_to_number("mười hai") == 12
    assert numbers_in("đóng 8% tiền lương, trong 06 tháng") == {"8", "6"}
    assert numbers_in("sau ngày nghỉ") == set()  # "sau" (after) is not "sáu" (six)
    assert numbers_in("bốn mươi lăm ngày") == {"45"}


def test_references_and_law_names_are_not_claims() -> None:
    citation = cite("a) Ít nhất 45 ngày nếu làm việc", point="a")
    text = "Theo điểm a khoản 1 Điều 35 Bộ luật Lao động 2019 (45/2019/QH14), 18/VBHN-VPQH: 45 ngày."
    assert claimed_numbers(text, [citation]) == {"45"}


def test_grounded_answer_passes() -> None:
    citation = cite("c) Ít nhất 03 ngày làm việc nếu làm việc theo hợp đồng lao động", point="c")
    problems = verify(
        "Bạn phải báo trước ít nhất 3 ngày làm việc (hợp đồng dưới 12 tháng).", [citation], [passage()]
    )
    assert problems == []


def test_number_not_in_cited_text_is_rejected() -> None:
    citation = cite("a) Ít nhất 45 ngày nếu làm việc", point="a")
    problems = verify("Bạn phải báo trước ít nhất 60 ngày.", [citation], [passage()])
    assert any("60" in p for p in problems)


def test_number_from_another_point_is_rejected() -> None:
    citation = cite("a) Ít nhất 45 ngày nếu làm việc", point="a")
    problems = verify("Bạn phải báo trước ít nhất 30 ngày.", [citation], [passage()])
    assert any("30" in p for p in problems)


def test_spoken_number_is_checked() -> None:
    citation = cite("a) Ít nhất 45 ngày nếu làm việc", point="a")
    assert verify("Bạn phải báo trước bốn mươi lăm ngày.", [citation], [passage()]) == []
    assert verify("Bạn phải báo trước sáu mươi ngày.", [citation], [passage()])


def test_citation_not_retrieved_is_rejected() -> None:
    problems = verify("Xem Điều 36.", [cite("a) Ít nhất 45 ngày", article=36)], [passage()])
    assert any("không nằm trong" in p for p in problems)


def test_quote_not_verbatim_is_rejected() -> None:
    problems = verify(
        "Báo trước 45 ngày.", [cite("a) Tối thiểu 45 ngày nếu làm việc", point="a")], [passage()]
    )
    assert any("nguyên văn" in p for p in problems)


def test_missing_point_is_rejected_and_no_citation_is_rejected() -> None:
    assert verify("45 ngày.", [cite("a) Ít nhất 45 ngày", point="g")], [passage()])
    assert verify("Bạn phải báo trước.", [], [passage()])
