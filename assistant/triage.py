"""Triage: does the member describe a dispute the union should look at, or ask for a person?

The answer chain attaches the result to every Answer as ``escalation``; opening a case is the member's
choice (with consent) and belongs to the cases work. Detection is on folded text, so unaccented messages
are triaged the same way. A dispute needs both a subject (wages, dismissal, insurance...) and a sign
that something happened to the writer ("công ty nợ lương tôi 3 tháng"), so a plain question such as
"lương tối thiểu vùng là bao nhiêu?" is not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.matching import clause_key, clause_spans, contains_any, term_list
from assistant.answering.scope import OTHER_TERMS, WORK_TERMS
from assistant.legal import Escalation, EscalationCategory
from assistant.person_request import CONTACT_TOPICS, only_asks_for_person, person_request, written_out

# Order matters: the first category whose words occur wins.
CATEGORY_TERMS: tuple[tuple[EscalationCategory, tuple[str, ...]], ...] = (
    (
        "quay_roi",
        term_list(
            """quay roi|sam so|so mo|dung cham|danh dap|bi danh|danh toi|danh em|chui mang|chui boi|xuc pham
            |lang ma|nhuc ma|de doa|nguoc dai|bao luc|bat nat|cuong buc|ep buoc|tan cong"""
        ),
    ),
    (
        "an_toan_lao_dong",
        term_list(
            """tai nan|bi thuong|gay tay|gay chan|bi bong|bong nang|bong lua|bong dien|bong hoa chat|vet bong
            |ngo doc|benh nghe nghiep|bao ho|do bao ho|nguy hiem
            |chay no|bi sap|do sap|sap do|sap gian giao|gian giao sap|sap tran|tran sap|sap ham|ham sap|tuong sap
            |nha xuong sap|dien giat|khong an toan|nhiem doc|hoa chat|ngat xiu|nong nhu lo"""
        ),
    ),
    (
        "bao_hiem_xa_hoi",
        term_list(
            """khong dong bao hiem|chua dong bao hiem|no bao hiem|tron dong|khong dong bhxh|no bhxh|chot so
            |khong tra so|giu so bao hiem|khong chot|bao hiem that nghiep|che do thai san|khong duoc huong
            |bhxh|bao hiem xa hoi"""
        ),
    ),
    (
        "tien_luong",
        term_list(
            """no luong|khong tra luong|chua tra luong|cham luong|tra luong cham|quyt luong|tru luong
            |cat luong
            |giam luong|ha luong|khong tra tien|chua tra tien|khong tra|chua tra|tien tang ca|tien lam them
            |khong duoc tra|chua duoc tra|thieu luong|giu luong|om luong|tru tien|chua thanh toan
            |tro cap thoi viec|luong"""
        ),
    ),
    (
        "cham_dut_hop_dong",
        term_list(
            """sa thai|duoi viec|duoi em|duoi e|duoi toi|duoi minh|bi duoi|cho nghi viec|bi nghi viec|bat nghi viec
            |ep nghi viec|cham dut hop dong
            |buoc thoi viec|mat viec|khong ky tiep|khong gia han|ep ky don|ep viet don|chuyen sang lam
            |chuyen sang viec"""
        ),
    ),
    (
        "ky_luat",
        term_list("ky luat|khien trach|phat tien|bi phat|cach chuc|dinh chi|kiem diem|tru thuong|cat thuong"),
    ),
)

# Something happened ("bị", "không trả", "mấy tháng nay") and someone asks what to do about it.
HARM_SIGNS = term_list(
    """bi|khong tra|chua tra|khong dong|chua dong|no|quyt|ep|cat|tru|duoi|sa thai|cho nghi|khong cho
    |khong chiu|khong duoc|chua duoc|hom qua|hom nay|tuan truoc|thang truoc|may thang|keo dai|doa|tu choi
    |giu|bat|khong boi thuong|khong xu ly|ha luong|van chua|lam sao|phai lam gi|vi em vao|vi toi vao
    |vi tham gia"""
)
# Whom it happened to, or who did it: the writer, colleagues, "công ty".
SELF_SIGNS = term_list(
    """toi|em|minh|chung toi|chung em|anh em|cong nhan|vo toi|chong toi|con toi|ban toi|dong nghiep|to toi
    |xuong toi|cong ty toi|cong ty em|sep|quan ly|cong ty|cty|xuong|chu"""
)
# Taking the matter further: the union should look at it, but the question itself is still answered.
DISPUTE_ACTIONS = term_list(
    """khieu nai|to cao|khoi kien|kien cong ty|kien sep|kien ra toa|di kien|muon kien|nop don kien|kien doi
    |mo ho so|gui don khieu nai|luat su"""
)
# What a message asks about besides a person: work, insurance, the union's own matters, a dispute, something
# that happened to the member ("bị"), whether something is lawful, another field of law.
_UNION_AND_LAW_TOPICS = term_list(
    """tham gia cong doan|vao cong doan|ra khoi cong doan|thanh lap cong doan|doan phi|kinh phi|vi pham|dung luat
    |trai luat|hop phap|bat buoc|co quyen|quy dinh|bi|cho lam|noi lam|om|bi benh|om benh|bau|thai|quy che|niem yet"""
)
_TOPICS = tuple(
    term
    for term in (*WORK_TERMS, *OTHER_TERMS, *DISPUTE_ACTIONS, *(t for _, terms in CATEGORY_TERMS for t in terms),
                 *_UNION_AND_LAW_TOPICS)
    if term not in CONTACT_TOPICS
)

# Parts of a message that search keeps even beside a request, and the words by which a part asks for something
# (not a bare "cần": folded, it is also "cán [bộ]"); the words that lead into a request at the end of a part.
_KEPT_IN_SEARCH = term_list("luat su|phap ly|ho tro|tro giup|bao ve")
_ASKING = term_list(
    """muon|can gap|can noi|can lien|can tu van|can nguoi|xin|cho|nho|giup|gium|dum|lam on|vui long|o dau|the nao
    |kieu gi|so nao|la gi|la bao nhieu|ai phu trach|duoc khong"""
)
_LEAD_IN = frozenset(term_list("e|em|toi|t|minh|muon|can|cho|xin|nho|ad|admin|oi|a|vay|va|thi|nen|gio"))

REASONS: dict[EscalationCategory, str] = {
    "tien_luong": "Có dấu hiệu tranh chấp về tiền lương (nợ, chậm hoặc trừ lương).",
    "cham_dut_hop_dong": "Có dấu hiệu bị chấm dứt hợp đồng hoặc cho thôi việc trái pháp luật.",
    "bao_hiem_xa_hoi": "Có dấu hiệu doanh nghiệp không đóng hoặc nợ bảo hiểm xã hội.",
    "ky_luat": "Có dấu hiệu bị xử lý kỷ luật lao động cần xem xét.",
    "an_toan_lao_dong": "Có dấu hiệu tai nạn lao động hoặc điều kiện làm việc không an toàn.",
    "quay_roi": "Có dấu hiệu bạo lực, ngược đãi hoặc quấy rối tại nơi làm việc.",
    "khac": "Người hỏi muốn được cán bộ công đoàn hỗ trợ trực tiếp.",
}


@dataclass(frozen=True)
class TriageResult:
    escalation: Escalation
    matched: tuple[str, ...] = ()
    human_only: bool = False  # a request for a person, with no dispute named in the message itself


def _category(key: str) -> tuple[EscalationCategory | None, list[str]]:
    for category, terms in CATEGORY_TERMS:
        found = contains_any(key, terms)
        if found:
            return category, found
    return None, []


def triage(message: str, history: tuple[str, ...] = ()) -> TriageResult:
    """Flag a dispute (with its category) or a request for a person; ``history`` holds earlier user
    messages, so "tôi muốn gặp cán bộ" after a wage complaint keeps the wage category."""
    key = clause_key(message)
    category, found = _category(key)
    request = written_out(key)
    person = person_request(request)
    human = [*person.found, *contains_any(request, DISPUTE_ACTIONS)]
    harmed = bool(contains_any(key, HARM_SIGNS)) and bool(contains_any(key, SELF_SIGNS))
    if category and (harmed or human) and category != "quay_roi":
        return TriageResult(
            Escalation(suggested=True, category=category, reason=REASONS[category]), tuple(found)
        )
    if category == "quay_roi" and (harmed or human or contains_any(key, SELF_SIGNS)):
        return TriageResult(
            Escalation(suggested=True, category=category, reason=REASONS[category]), tuple(found)
        )
    if human:
        earlier, _ = _category(clause_key("\n".join(history))) if history else (None, [])
        chosen: EscalationCategory = earlier or "khac"
        escalation = Escalation(suggested=True, category=chosen, reason=REASONS["khac"])
        return TriageResult(escalation, tuple(human), human_only=only_asks_for_person(request, person, _TOPICS))
    return TriageResult(Escalation())


def without_person_request(message: str) -> str:
    """The message without what only asks for a person ("công ty nợ lương 2 tháng, cho em xin số cán bộ công
    đoàn"), so that search looks for the question alone: with it, "cán bộ công đoàn" brought up the law on union
    officers. A part of the message between punctuation goes whole; within a part that asks something first, the
    request at its end goes ("bị phạt tiền vì làm hư hàng em muốn gặp người tư vấn thật"). The message itself when
    nothing else would be left."""
    spans = clause_spans(message)
    cuts = [(start, end) for start, end in spans if _only_a_request(message[start:end])]
    if len(cuts) == len(spans):
        return message
    for start, end in spans:
        if (start, end) not in cuts:
            tail = _request_at_end(message[start:end])
            if tail:
                cuts.append((end - tail, end))
    if not cuts:
        return message
    kept, position = [], 0
    for start, end in sorted(cuts):
        kept.append(message[position:start])
        position = end
    kept.append(message[position:])
    return re.sub(r"\s*([,.;:!?])(\s*[,.;:!?])+", r"\1", " ".join("".join(kept).split())).strip(" ,;:")


def _request_at_end(part: str) -> int:
    """How many characters at the end of ``part`` only ask for a person, after a question; 0 when none do."""
    if not person_request(written_out(clause_key(part))).plain:
        return 0
    words = list(re.finditer(r"\S+", part))
    for first in range(len(words) - 1, 0, -1):
        if _only_a_request(part[words[first].start() :]):
            while first > 1 and clause_key(words[first - 1].group()).strip() in _LEAD_IN:
                first -= 1
            return len(part) - words[first].start()
    return 0


def _only_a_request(part: str) -> bool:
    """A part that asks to reach an officer and says nothing else. One about a lawyer or the union's help is
    often the question itself ("nhờ luật sư đi cùng có được không", "công đoàn có hỗ trợ pháp lý không"), and one
    that asks for nothing is the story ("em chưa kịp liên hệ công đoàn"): both stay."""
    key = written_out(clause_key(part))
    if contains_any(key, _KEPT_IN_SEARCH) or not contains_any(key, _ASKING):
        return False
    request = person_request(key)
    return request.plain and only_asks_for_person(key, request, _TOPICS)


def topic_of(message: str) -> EscalationCategory | None:
    """The subject a question is about, dispute or not (for the officers' dashboard)."""
    category, _ = _category(clause_key(message))
    return category
