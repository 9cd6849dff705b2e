from __future__ import annotations

import pytest

from assistant.triage import topic_of, triage, without_person_request


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("Công ty nợ lương tôi 3 tháng rồi", "tien_luong"),
        ("Tôi bị đuổi việc không báo trước", "cham_dut_hop_dong"),
        ("sep duoi e ngang xuong ko bao truoc", "cham_dut_hop_dong"),
        ("cong ty khong dong bhxh cho em", "bao_hiem_xa_hoi"),
        ("Tôi bị kỷ luật khiển trách vô lý", "ky_luat"),
        ("em bi tai nan o xuong", "an_toan_lao_dong"),
        ("Tôi bị sếp sàm sỡ", "quay_roi"),
        ("giàn giáo bị sập, em bị gãy chân mà công ty không lo", "an_toan_lao_dong"),
        ("em bi bong hoa chat o xuong ma cty ko tra vien phi", "an_toan_lao_dong"),
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
        # Folded, "sắp" reads as "sập" (collapse) and "bóng" as "bỏng" (burn): neither is an accident.
        "Công ty tôi sắp chuyển trụ sở, em sắp hết hợp đồng thì sao?",
        "Công ty tổ chức giải bóng đá, em bị ép tham gia có được không?",
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


@pytest.mark.parametrize(
    "message",
    [
        # Folded, "điều kiện", "ý kiến" and "nghiên cứu" contain "kien" and "cuu" ("kiện", "cứu").
        "Người lao động làm việc đủ 12 tháng trong điều kiện bình thường được nghỉ hằng năm bao nhiêu ngày?",
        "Công ty bắt tăng ca mà không hỏi ý kiến người lao động có đúng không?",
        "Cán bộ công đoàn không chuyên trách hết hạn hợp đồng trong nhiệm kỳ thì sao?",
        "Tôi muốn khiếu nại quyết định kỷ luật thì thủ tục thế nào?",
        "gap can bo cong doan de hoi ve che do thai san",
    ],
)
def test_questions_are_answered_not_handed_off(message: str) -> None:
    assert not triage(message).human_only


@pytest.mark.parametrize(
    "message",
    ["Cho tôi gặp cán bộ công đoàn.", "em muon noi chuyen voi nguoi that a", "cuu em voi",
     "Cho tôi số điện thoại công đoàn tỉnh",
     # Chat shorthand: "e" is "em", "t" "tôi", "cb" "cán bộ", "cđ" "công đoàn", "sđt" "số điện thoại".
     "e muon gap can bo cong doan", "t muon gap can bo cong doan", "cho e gap cb cd", "cho e gặp cb cđ ạ",
     "ad ơi cho em gặp người thật với", "cho xin sdt cong doan", "xin sđt cđcs với ạ",
     "lam sao de lien lac cong doan", "hotline công đoàn là gì", "tôi muốn gặp luật sư",
     "mik can luat su tu van gap"],
)
def test_plain_requests_for_a_person_are_handed_off(message: str) -> None:
    result = triage(message)
    assert result.human_only and result.escalation.suggested and result.escalation.category == "khac"


@pytest.mark.parametrize(
    "message",
    [
        # The request shorthand is read only for a request: it makes no dispute of a plain question...
        "bhtn trừ của e mấy % lương vậy mn",
        "luong e 8tr thi moi thang bi tru bao nhieu % tien bhxh vay",
        # ...and "cb" is as often "chuẩn bị", "tv" a television.
        "cb di lam thi can giay to gi",
        "mua bảo hiểm nhân thọ qua tư vấn viên, giờ hủy có lấy lại tiền không",
    ],
)
def test_request_shorthand_does_not_flag_questions(message: str) -> None:
    assert not triage(message).escalation.suggested


def test_a_request_beside_a_question_still_suggests_an_officer() -> None:
    result = triage("gap can bo cong doan de hoi ve che do thai san")
    assert result.escalation.suggested and not result.human_only


def test_phrases_are_not_matched_across_punctuation() -> None:
    # "Mỹ Đình, công ty" folds to "my dinh cong ty": a strike ("đình công") only within one part of the message.
    assert topic_of("Em làm ở Mỹ Đình, công ty nợ lương 2 tháng") == "tien_luong"
    result = triage("Cho tôi gặp cán bộ công đoàn, được không?")
    assert result.human_only and result.escalation.suggested


@pytest.mark.parametrize(
    ("message", "searched"),
    [
        ("cty no luong 2 thang roi, cho e xin sdt can bo cong doan de nho giup", "cty no luong 2 thang roi"),
        ("Cty bắt tăng ca tới 4 tiếng mỗi ngày, em muốn gặp chủ tịch công đoàn phản ánh",
         "Cty bắt tăng ca tới 4 tiếng mỗi ngày"),
        # Amounts keep their dots: only the request's part of the message goes.
        ("lương 5.310.000 đồng có đúng không, cho em xin sđt cán bộ công đoàn.", "lương 5.310.000 đồng có đúng không"),
        # Without punctuation, the request at the end goes with the words that lead into it, and only those.
        ("bi cong ty phat tien vi lam hu hang e muon gap nguoi tu van that", "bi cong ty phat tien vi lam hu hang"),
        ("nghỉ thai sản được mấy tháng cho em xin số điện thoại cán bộ công đoàn", "nghỉ thai sản được mấy tháng"),
    ],
)
def test_search_leaves_out_a_part_that_only_asks_for_a_person(message: str, searched: str) -> None:
    assert without_person_request(message) == searched


@pytest.mark.parametrize(
    "message",
    [
        "Cho tôi gặp cán bộ công đoàn.",  # nothing else would be left: the hand-off answers it
        # A lawyer or the union's help is often the question itself; a part that asks for nothing is the story.
        "e bi goi hop ky luat, muon nho luat su di cung co dc ko hay cty cam",
        "Em đang tranh chấp tiền lương, công đoàn có hỗ trợ tư vấn pháp lý miễn phí cho em không?",
        "Sáng nay công ty báo chiều họp kỷ luật em, em chưa kịp liên hệ công đoàn. Công ty phải báo trước bao lâu?",
        # A request before the question is how the question is asked.
        "em muốn gặp cán bộ để hỏi về chế độ thai sản",
    ],
)
def test_search_keeps_every_part_that_may_be_the_question(message: str) -> None:
    assert without_person_request(message) == message


@pytest.mark.parametrize(
    "message",
    [
        "ad oi cho e xin zalo co Lan ban nu cong voi",  # a title and a name between the way of reaching and whom
        "cđcs cty Changshin có zalo OA không ạ, cho e xin",  # how to reach the union, next to whom
        "nho cb cong doan goi lai e",  # whom, then a call back
    ],
)
def test_each_form_of_request_hands_off(message: str) -> None:
    result = triage(message)
    assert result.human_only and result.escalation.category == "khac"
