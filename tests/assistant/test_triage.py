from __future__ import annotations

import pytest

from assistant.triage import topic_of, triage


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("Công ty nợ lương tôi 3 tháng rồi", "tien_luong"),
        ("Tôi bị đuổi việc không báo trước", "cham_dut_hop_dong"),
        ("cong ty khong dong bhxh cho em", "bao_hiem_xa_hoi"),
        ("Tôi bị kỷ luật khiển trách vô lý", "ky_luat"),
        ("em bi tai nan o xuong", "an_toan_lao_dong"),
        ("Tôi bị sếp sàm sỡ", "quay_roi"),
        ("Cho tôi gặp cán bộ công đoàn.", "khac"),
    ],
)
def test_disputes_and_requests_are_flagged(message: str, category: str) -> None:
    escalation = triage(message).escalation
    assert escalation.suggested and escalation.category == category and escalation.reason


@pytest.mark.parametrize(
    "message",
    [
        "Lương tối thiểu vùng 1 là bao nhiêu?",
        "Nghỉ việc phải báo trước bao nhiêu ngày?",
        "Tôi có được nghỉ phép năm không?",
    ],
)
def test_plain_questions_are_not_flagged(message: str) -> None:
    assert not triage(message).escalation.suggested


def test_request_after_a_complaint_keeps_its_category() -> None:
    result = triage("Tôi muốn gặp cán bộ công đoàn", history=("Công ty nợ lương tôi 3 tháng",))
    assert result.escalation.category == "tien_luong" and result.human_only


def test_topic_is_named_without_a_dispute() -> None:
    assert topic_of("Lương tối thiểu vùng 1 là bao nhiêu?") == "tien_luong"
    assert topic_of("Thời tiết hôm nay?") is None
