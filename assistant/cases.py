"""Cases: opened from a conversation with the member's consent, routed to the member's grassroots unit,
worked by officers (assign, reply, resolve), climbing the union tree one level per missed deadline.
Every change is a ``CaseEvent``: who, when, what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from assistant.access import Reach, cases_in_reach, get_in_reach, reachable_units
from assistant.config import CaseSettings, Settings
from assistant.db.base import utcnow
from assistant.db.cases import Case, CaseEvent, OutboxItem
from assistant.db.conversations import Conversation, Message
from assistant.db.engine import Database
from assistant.db.union import Member, StaffUser, Unit, UnitTree
from assistant.identity import member_for
from assistant.members import normalize_phone
from assistant.outbox import enqueue
from assistant.units import get_unit, parent_of, roots

CATEGORIES = {
    "tien_luong": "Tiền lương",
    "cham_dut_hop_dong": "Chấm dứt hợp đồng",
    "bao_hiem_xa_hoi": "Bảo hiểm xã hội",
    "ky_luat": "Kỷ luật lao động",
    "an_toan_lao_dong": "An toàn lao động",
    "quay_roi": "Quấy rối",
    "khac": "Khác",
}
STATUS_LABELS = {
    "open": "Mới tiếp nhận",
    "assigned": "Đang xử lý",
    "waiting_member": "Chờ đoàn viên phản hồi",
    "answered": "Đã trả lời",
    "resolved": "Đã giải quyết",
    "closed": "Đã đóng",
}
OPINION_CATEGORIES = {
    "y_kien": "Ý kiến, góp ý",
    "tam_tu": "Tâm tư",
    "nguyen_vong": "Nguyện vọng",
    "phan_anh": "Phản ánh, kiến nghị",
}
PRIORITY_LABELS = {"urgent": "Khẩn cấp", "high": "Cao", "normal": "Bình thường"}
KIND_LABELS = {"case": "Vụ việc", "opinion": "Ý kiến, nguyện vọng"}
# The deadline clock runs only while the union owes the next step.
RUNNING = ("open", "assigned")
UNFINISHED = ("open", "assigned", "waiting_member", "answered")
FINISHED = ("resolved", "closed")
URGENT_CATEGORIES = frozenset({"quay_roi", "an_toan_lao_dong"})
HIGH_CATEGORIES = frozenset({"tien_luong", "cham_dut_hop_dong", "bao_hiem_xa_hoi"})
# Triage may name a category in English or with a synonym; anything else becomes "khac".
CATEGORY_ALIASES = {
    "wages": "tien_luong",
    "unpaid_wages": "tien_luong",
    "wage": "tien_luong",
    "salary": "tien_luong",
    "dismissal": "cham_dut_hop_dong",
    "termination": "cham_dut_hop_dong",
    "insurance": "bao_hiem_xa_hoi",
    "social_insurance": "bao_hiem_xa_hoi",
    "bhxh": "bao_hiem_xa_hoi",
    "discipline": "ky_luat",
    "safety": "an_toan_lao_dong",
    "accident": "an_toan_lao_dong",
    "violence": "an_toan_lao_dong",
    "harassment": "quay_roi",
    "other": "khac",
}


class CaseError(ValueError):
    """A request the case rules refuse; ``code`` tells the HTTP layer which status fits."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code  # invalid | not_found | conflict


@dataclass(frozen=True)
class Actor:
    kind: str  # staff | member | system
    name: str
    staff_id: int | None = None

    @classmethod
    def staff(cls, reach: Reach) -> Actor:
        return cls("staff", reach.display_name, reach.staff_id)

    @classmethod
    def system(cls) -> Actor:
        return cls("system", "Hệ thống")

    @classmethod
    def member(cls) -> Actor:
        return cls("member", "Đoàn viên")


def deadline(settings: CaseSettings, priority: str) -> timedelta:
    hours = {
        "urgent": settings.deadline_hours_urgent,
        "high": settings.deadline_hours_high,
    }.get(priority, settings.deadline_hours_normal)
    return timedelta(hours=hours)


def default_priority(category: str) -> str:
    if category in URGENT_CATEGORIES:
        return "urgent"
    return "high" if category in HIGH_CATEGORIES else "normal"


def categories_for(kind: str) -> dict[str, str]:
    if kind == "case":
        return CATEGORIES
    if kind == "opinion":
        return OPINION_CATEGORIES
    raise CaseError("Loại yêu cầu không hợp lệ.", "invalid")


def category_label(case: Case) -> str:
    return categories_for(case.kind).get(case.category, case.category)


def normalize_category(value: str | None, kind: str = "case") -> str | None:
    if not value:
        return None
    key = value.strip().lower()
    if key in categories_for(kind):
        return key
    return CATEGORY_ALIASES.get(key) if kind == "case" else None


def record(
    session: Session,
    case: Case,
    actor: Actor,
    action: str,
    now: datetime,
    *,
    note: str = "",
    from_status: str | None = None,
    from_unit: str | None = None,
    to_unit: str | None = None,
    data: dict[str, object] | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        at=now,
        actor_kind=actor.kind,
        staff_id=actor.staff_id,
        actor_name=actor.name,
        action=action,
        from_status=from_status,
        to_status=case.status,
        from_unit_code=from_unit,
        to_unit_code=to_unit,
        note=note,
        data=data or {},
    )
    session.add(event)
    return event


# --- opening --------------------------------------------------------------------------------------


def route_unit(
    session: Session,
    settings: Settings,
    member: Member | None,
    picked: str | None,
    conversation: Conversation,
) -> Unit:
    """The member's own unit; otherwise the unit the person picked, the conversation's, the intake unit, or
    the single root of the tree."""
    if member is not None:
        unit = session.get(Unit, member.unit_id)
        assert unit is not None
        return unit
    if picked:
        unit = get_unit(session, picked)
        if unit is None:
            raise CaseError("Không tìm thấy công đoàn đã chọn. Vui lòng chọn lại.", "invalid")
        return unit
    for code in (conversation.unit_code, settings.cases.intake_unit_code):
        if code and (unit := get_unit(session, code)) is not None:
            return unit
    top = roots(session)
    if len(top) == 1:
        return top[0]
    raise CaseError("Chưa xác định được công đoàn tiếp nhận. Vui lòng chọn công đoàn của bạn.", "invalid")


def _triage_category(session: Session, conversation_id: str) -> str | None:
    escalations = session.scalars(
        select(Message.escalation)
        .where(Message.conversation_id == conversation_id, Message.role == "assistant")
        .order_by(Message.created_at.desc())
        .limit(5)
    )
    for escalation in escalations:
        if isinstance(escalation, dict) and (found := normalize_category(escalation.get("category"))):
            return found
    return None


def _subject(session: Session, conversation_id: str) -> str:
    first = session.scalar(
        select(Message.text)
        .where(Message.conversation_id == conversation_id, Message.role == "user")
        .order_by(Message.created_at)
        .limit(1)
    )
    text = " ".join((first or "").split())
    return text if len(text) <= 200 else text[:197] + "…"


@dataclass(frozen=True)
class OpenRequest:
    conversation_id: str
    consent: bool
    category: str | None = None
    unit_code: str | None = None
    contact_phone: str | None = None
    kind: str = "case"
    subject: str | None = None
    description: str = ""


def open_case(
    session: Session, settings: Settings, request: OpenRequest, now: datetime | None = None
) -> tuple[Case, bool]:
    """The case for this conversation, and whether it was just created. Opening twice gives one case; a
    finished case opened again is reopened."""
    now = now or utcnow()
    if request.consent is not True:
        raise CaseError("Cần sự đồng ý của bạn để chuyển nội dung trao đổi cho cán bộ công đoàn.", "invalid")
    conversation = session.get(Conversation, request.conversation_id)
    if conversation is None:
        raise CaseError("Không tìm thấy cuộc hội thoại.", "not_found")
    existing = session.scalar(select(Case).where(Case.conversation_id == conversation.id))
    if existing is not None:
        return _reopen_if_finished(session, settings, existing, now), False
    category = normalize_category(request.category, request.kind)
    if request.category and category is None:
        raise CaseError("Loại vụ việc không hợp lệ.", "invalid")
    if category is None:
        category = _triage_category(session, conversation.id) if request.kind == "case" else "y_kien"
    category = category or "khac"
    member = _member_of(session, conversation)
    unit = route_unit(session, settings, member, request.unit_code, conversation)
    priority = default_priority(category)
    case = Case(
        kind=request.kind,
        category=category,
        priority=priority,
        status="open",
        unit_id=unit.id,
        member_id=member.id if member else None,
        conversation_id=conversation.id,
        channel=conversation.channel,
        channel_user_id=conversation.channel_user_id,
        subject=request.subject or _subject(session, conversation.id) or KIND_LABELS[request.kind],
        description=request.description,
        contact_phone=normalize_phone(request.contact_phone) or (member.phone if member else None),
        consent_at=now,
        opened_by="member",
        due_at=now + deadline(settings.cases, priority),
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(case)
            session.flush()
    except IntegrityError:
        # Opened at the same moment from another request: that case is this case.
        raced = session.scalar(select(Case).where(Case.conversation_id == conversation.id))
        if raced is None:
            raise
        return raced, False
    if conversation.unit_code is None:
        conversation.unit_code = unit.code
    record(
        session,
        case,
        Actor.member(),
        "opened",
        now,
        to_unit=unit.code,
        note="Đoàn viên đồng ý chuyển nội dung cho công đoàn.",
    )
    session.flush()
    return case, True


def _member_of(session: Session, conversation: Conversation) -> Member | None:
    if conversation.member_id is not None and (member := session.get(Member, conversation.member_id)):
        return member
    return member_for(session, conversation.channel, conversation.channel_user_id)


def _reopen_if_finished(session: Session, settings: Settings, case: Case, now: datetime) -> Case:
    if case.status in FINISHED:
        before = case.status
        case.status = "assigned" if case.assignee_id else "open"
        case.due_at = now + deadline(settings.cases, case.priority)
        case.resolved_at = None
        record(
            session,
            case,
            Actor.member(),
            "reopened",
            now,
            from_status=before,
            note="Đoàn viên yêu cầu hỗ trợ tiếp.",
        )
        session.flush()
    return case


def member_followup(session: Session, settings: Settings, conversation_id: str, now: datetime | None = None) -> None:
    """The member wrote again: a case waiting on them is the union's turn again, with a fresh deadline."""
    now = now or utcnow()
    case = session.scalar(select(Case).where(Case.conversation_id == conversation_id))
    if case is None or case.status not in ("waiting_member", "answered"):
        return
    before = case.status
    case.status = "assigned" if case.assignee_id else "open"
    case.due_at = now + deadline(settings.cases, case.priority)
    record(session, case, Actor.member(), "member_replied", now, from_status=before)
    session.flush()


# --- officers' work -------------------------------------------------------------------------------


def get_case(session: Session, reach: Reach, case_id: str) -> Case | None:
    found: Case | None = get_in_reach(session, cases_in_reach(reach), Case.id == case_id)
    return found


def _require_unfinished(case: Case) -> None:
    if case.status in FINISHED:
        raise CaseError("Vụ việc đã kết thúc; đoàn viên cần mở lại nếu muốn được hỗ trợ tiếp.", "conflict")


def assign(
    session: Session, reach: Reach, case: Case, username: str | None = None, now: datetime | None = None
) -> Case:
    """Give the case to a staff member who can see it (by default, the one asking)."""
    now = now or utcnow()
    _require_unfinished(case)
    assignee = _assignable(session, case, username or reach.username)
    before = case.status
    case.assignee_id = assignee.id
    if case.status == "open":
        case.status = "assigned"
    record(
        session,
        case,
        Actor.staff(reach),
        "assigned",
        now,
        from_status=before,
        note=f"Giao cho {assignee.full_name or assignee.username}.",
        data={"assignee": assignee.username},
    )
    session.flush()
    return case


def _assignable(session: Session, case: Case, username: str) -> StaffUser:
    """A case may only go to someone whose reach contains its unit (the unit itself or one above)."""
    unit = session.get(Unit, case.unit_id)
    assert unit is not None
    staff = session.scalar(select(StaffUser).where(StaffUser.username == username, StaffUser.active.is_(True)))
    if staff is None or staff.role not in ("officer", "legal", "admin"):
        raise CaseError("Không tìm thấy cán bộ phù hợp để giao vụ việc.", "invalid")
    staff_unit = session.get(Unit, staff.unit_id)
    if staff_unit is None or not unit.path.startswith(staff_unit.path):
        raise CaseError("Không tìm thấy cán bộ phù hợp để giao vụ việc.", "invalid")
    return staff


def reply(
    session: Session,
    settings: Settings,
    reach: Reach,
    case: Case,
    text: str,
    *,
    wait_for_member: bool = False,
    now: datetime | None = None,
) -> OutboxItem:
    """Store the reply for the member's channel (the outbox sends it) and move the case on."""
    now = now or utcnow()
    text = text.strip()
    if not text:
        raise CaseError("Nội dung trả lời không được để trống.", "invalid")
    if len(text) > settings.max_message_chars:
        raise CaseError(f"Nội dung trả lời dài quá {settings.max_message_chars} ký tự.", "invalid")
    _require_unfinished(case)
    item = enqueue(
        session,
        channel=case.channel,
        recipient=case.channel_user_id,
        text=text,
        conversation_id=case.conversation_id,
        case_id=case.id,
        now=now,
    )
    before = case.status
    case.status = "waiting_member" if wait_for_member else "answered"
    if case.assignee_id is None:
        case.assignee_id = reach.staff_id
    record(
        session,
        case,
        Actor.staff(reach),
        "replied",
        now,
        from_status=before,
        note=text,
        data={"outbox_id": item.id},
    )
    session.flush()
    return item


def resolve(
    session: Session, reach: Reach, case: Case, note: str, *, close: bool = False, now: datetime | None = None
) -> Case:
    """Finish the case: resolved (with what was done) or closed (nothing more can be done)."""
    now = now or utcnow()
    _require_unfinished(case)
    note = note.strip()
    if not note:
        raise CaseError("Cần ghi chú kết quả xử lý.", "invalid")
    before = case.status
    case.status = "closed" if close else "resolved"
    case.resolution_note = note
    case.resolved_at, case.due_at = now, None
    record(
        session,
        case,
        Actor.staff(reach),
        "closed" if close else "resolved",
        now,
        from_status=before,
        note=note,
    )
    session.flush()
    return case


def escalate(
    session: Session,
    settings: Settings,
    case: Case,
    actor: Actor,
    reason: str,
    now: datetime,
    *,
    next_due: datetime | None = None,
) -> bool:
    """Move the case to the parent unit: it starts there unassigned with a new deadline. False at the top."""
    unit = session.get(Unit, case.unit_id)
    assert unit is not None
    parent = parent_of(session, unit)
    if parent is None:
        return False
    before = case.status
    missed = case.due_at
    case.unit_id = parent.id
    case.status = "open"
    case.assignee_id = None
    case.escalation_level += 1
    case.due_at = next_due or now + deadline(settings.cases, case.priority)
    record(
        session,
        case,
        actor,
        "escalated",
        now,
        from_status=before,
        from_unit=unit.code,
        to_unit=parent.code,
        note=reason,
        data={"missed_due_at": missed.isoformat() if missed else None, "level": case.escalation_level},
    )
    session.flush()
    return True


def escalate_by_staff(
    session: Session, settings: Settings, reach: Reach, case: Case, note: str, now: datetime | None = None
) -> Case:
    now = now or utcnow()
    _require_unfinished(case)
    reason = note.strip() or "Cán bộ chuyển lên công đoàn cấp trên."
    if not escalate(session, settings, case, Actor.staff(reach), reason, now):
        raise CaseError("Đơn vị này không có công đoàn cấp trên.", "conflict")
    return case


# --- queue ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilter:
    status: str = "unfinished"  # unfinished | all | one status
    category: str | None = None
    kind: str | None = None
    overdue: bool | None = None
    unit_code: str | None = None
    assigned_to_me: bool = False


@dataclass
class CasePage:
    items: list[Case]
    page: int
    page_size: int
    has_more: bool


def list_cases(
    session: Session,
    reach: Reach,
    filters: CaseFilter,
    *,
    page: int = 1,
    page_size: int = 25,
    now: datetime | None = None,
) -> CasePage:
    """One page of the queue in reach, nearest deadline first."""
    now = now or utcnow()
    page, page_size = max(page, 1), min(max(page_size, 1), 100)
    query = cases_in_reach(reach)
    if filters.status == "unfinished":
        query = query.where(Case.status.in_(UNFINISHED))
    elif filters.status != "all":
        query = query.where(Case.status == filters.status)
    if filters.category:
        query = query.where(Case.category == filters.category)
    if filters.kind:
        query = query.where(Case.kind == filters.kind)
    if filters.overdue is True:
        query = query.where(Case.status.in_(RUNNING), Case.due_at < now)
    elif filters.overdue is False:
        query = query.where((Case.due_at >= now) | Case.status.not_in(RUNNING))
    if filters.assigned_to_me:
        query = query.where(Case.assignee_id == reach.staff_id)
    if filters.unit_code:
        query = query.where(Case.unit_id.in_(_subtree(filters.unit_code)))
    rows = list(
        session.scalars(
            query.options(selectinload(Case.unit), selectinload(Case.assignee))
            .order_by(Case.due_at.asc().nulls_last(), Case.id)
            .offset((page - 1) * page_size)
            .limit(page_size + 1)
        )
    )
    return CasePage(items=rows[:page_size], page=page, page_size=page_size, has_more=len(rows) > page_size)


def _subtree(unit_code: str) -> Select[int]:
    return select(UnitTree.unit_id).join(Unit, Unit.id == UnitTree.ancestor_id).where(Unit.code == unit_code)


def is_overdue(case: Case, now: datetime | None = None) -> bool:
    return case.status in RUNNING and case.due_at is not None and case.due_at < (now or utcnow())


def units_in_reach(session: Session, reach: Reach) -> list[Unit]:
    """For filter pickers: the units this staff member may see, in tree order."""
    return list(session.scalars(select(Unit).where(Unit.id.in_(reachable_units(reach))).order_by(Unit.path)))


# --- deadlines ------------------------------------------------------------------------------------

VIETNAM = timezone(timedelta(hours=7))  # no daylight saving time in Vietnam


def format_vn(moment: datetime | None) -> str:
    """A stored (naive UTC) time as Vietnamese readers expect it: dd/mm/yyyy HH:MM, Vietnam time."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class Escalation:
    case_id: str
    from_unit: str
    to_unit: str
    missed_due_at: datetime


def sweep(db: Database, settings: Settings, now: datetime | None = None, batch: int = 500) -> list[Escalation]:
    """Move every overdue case up one level per deadline it missed; each case in its own transaction, so a
    case an officer is changing at this moment is simply left for the next sweep."""
    now = now or utcnow()
    moved: list[Escalation] = []
    skipped: set[str] = set()
    while True:
        with db.session() as session:
            ids = [
                case_id
                for case_id in session.scalars(
                    select(Case.id)
                    .join(Unit, Unit.id == Case.unit_id)
                    .where(Case.status.in_(RUNNING), Case.due_at <= now, Unit.parent_id.is_not(None))
                    .order_by(Case.due_at)
                    .limit(batch + len(skipped))
                )
                if case_id not in skipped
            ]
        if not ids:
            return moved
        for case_id in ids:
            try:
                with db.session() as session:
                    moved.extend(_climb(session, settings, case_id, now))
            except StaleDataError:
                skipped.add(case_id)


def _climb(session: Session, settings: Settings, case_id: str, now: datetime) -> list[Escalation]:
    case = session.get(Case, case_id)
    moves: list[Escalation] = []
    while case is not None and case.status in RUNNING and case.due_at is not None and case.due_at <= now:
        unit = session.get(Unit, case.unit_id)
        parent = parent_of(session, unit) if unit else None
        if unit is None or parent is None:
            break
        missed = case.due_at
        reason = (
            f"Quá hạn xử lý: hạn {format_vn(missed)} tại {unit.name} đã qua mà chưa có phản hồi; "
            f"tự động chuyển lên {parent.name}."
        )
        escalate(
            session,
            settings,
            case,
            Actor.system(),
            reason,
            now,
            next_due=missed + deadline(settings.cases, case.priority),
        )
        moves.append(Escalation(case.id, unit.code, parent.code, missed))
    return moves
