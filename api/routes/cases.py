"""Cases over HTTP. Members open one from their conversation (the conversation id is their key); officers,
with a bearer token, see and work only the cases of their unit and the units below it: anything else is 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import get_platform
from api.routes.auth import ReachDep, TxDep, require
from assistant import cases as case_rules
from assistant.access import Reach
from assistant.db.cases import Case, OutboxItem
from assistant.db.conversations import Conversation, Message
from assistant.db.union import StaffUser, Unit

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])
NOT_FOUND = "Không tìm thấy vụ việc."


def iso(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z") if moment else None


def message_json(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "role": message.role,
        "text": message.text,
        "citations": message.citations,
        "refused": message.refused,
        "created_at": iso(message.created_at),
    }


def raise_for(error: case_rules.CaseError) -> HTTPException:
    status = {"not_found": 404, "conflict": 409}.get(error.code, 422)
    return HTTPException(status, str(error))


# --- member side ----------------------------------------------------------------------------------


class OpenCaseBody(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=64)
    consent: bool = False
    category: str | None = Field(default=None, max_length=32)
    unit_code: str | None = Field(default=None, max_length=64)
    contact_phone: str | None = Field(default=None, max_length=32)


class OpenedCase(BaseModel):
    id: str
    kind: str
    status: str
    status_label: str
    category: str
    unit_code: str
    unit_name: str
    due_at: str | None
    created: bool


def opened(case: Case, unit: Unit, created: bool) -> OpenedCase:
    return OpenedCase(
        id=case.id,
        kind=case.kind,
        status=case.status,
        status_label=case_rules.STATUS_LABELS[case.status],
        category=case.category,
        unit_code=unit.code,
        unit_name=unit.name,
        due_at=iso(case.due_at),
        created=created,
    )


@router.post("", response_model=OpenedCase, status_code=201)
def open_case(body: OpenCaseBody, request: Request, response: Response, session: TxDep) -> OpenedCase:
    """A member asks for a union officer, with their consent; opening twice gives the same case (201 when
    it was created now, 200 when it already existed)."""
    if body.consent is not True:
        raise HTTPException(422, "Cần sự đồng ý của bạn để chuyển nội dung trao đổi cho cán bộ công đoàn.")
    settings = get_platform(request).settings
    try:
        case, created = case_rules.open_case(session, settings, case_rules.OpenRequest(**body.model_dump()))
    except case_rules.CaseError as exc:
        raise raise_for(exc) from exc
    unit = session.get(Unit, case.unit_id)
    assert unit is not None
    if not created:
        response.status_code = 200
    return opened(case, unit, created)


@router.get("/by-conversation/{conversation_id}")
def case_of_conversation(conversation_id: str, session: TxDep) -> dict[str, Any]:
    """For the member's widget: the case opened from this conversation and the officers' replies so far."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise HTTPException(404, "Không tìm thấy cuộc hội thoại.")
    case = session.scalar(select(Case).where(Case.conversation_id == conversation_id))
    replies = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.role == "officer")
        .order_by(Message.created_at)
    )
    return {
        "case": None
        if case is None
        else {
            "id": case.id,
            "status": case.status,
            "status_label": case_rules.STATUS_LABELS[case.status],
            "due_at": iso(case.due_at),
        },
        "replies": [{"id": m.id, "text": m.text, "created_at": iso(m.created_at)} for m in replies],
    }


# --- officer side ---------------------------------------------------------------------------------


def case_summary(case: Case, now: datetime) -> dict[str, Any]:
    return {
        "id": case.id,
        "kind": case.kind,
        "category": case.category,
        "category_label": case_rules.category_label(case),
        "priority": case.priority,
        "priority_label": case_rules.PRIORITY_LABELS.get(case.priority, case.priority),
        "status": case.status,
        "status_label": case_rules.STATUS_LABELS[case.status],
        "unit_code": case.unit.code,
        "unit_name": case.unit.name,
        "subject": case.subject,
        "assignee": case.assignee.username if case.assignee else None,
        "escalation_level": case.escalation_level,
        "due_at": iso(case.due_at),
        "overdue": case_rules.is_overdue(case, now),
        "created_at": iso(case.created_at),
        "channel": case.channel,
    }


def load_case(session: TxDep, reach: Reach, case_id: str) -> Case:
    require(reach, "cases")
    case = case_rules.get_case(session, reach, case_id)
    if case is None:
        raise HTTPException(404, NOT_FOUND)
    return case


def case_detail(session: TxDep, case: Case, now: datetime) -> dict[str, Any]:
    messages = []
    if case.conversation_id:
        messages = list(
            session.scalars(
                select(Message).where(Message.conversation_id == case.conversation_id).order_by(Message.created_at)
            )
        )
    deliveries = session.scalars(
        select(OutboxItem).where(OutboxItem.case_id == case.id).order_by(OutboxItem.created_at)
    )
    return {
        **case_summary(case, now),
        "description": case.description,
        "contact_phone": case.contact_phone,
        "resolution_note": case.resolution_note,
        "resolved_at": iso(case.resolved_at),
        "conversation": None
        if not case.conversation_id
        else {
            "id": case.conversation_id,
            "messages": [
                message_json(m) for m in messages
            ],
        },
        "events": [
            {
                "at": iso(e.at),
                "actor": e.actor_name,
                "actor_kind": e.actor_kind,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "from_unit": e.from_unit_code,
                "to_unit": e.to_unit_code,
                "note": e.note,
            }
            for e in case.events
        ],
        "deliveries": [
            {
                "id": d.id,
                "status": d.status,
                "attempts": d.attempts,
                "created_at": iso(d.created_at),
                "sent_at": iso(d.sent_at),
            }
            for d in deliveries
        ],
    }


@router.get("")
def list_cases(
    reach: ReachDep,
    session: TxDep,
    status: str = Query(
        "unfinished",
        description="unfinished | all | open | assigned | waiting_member | answered | resolved | closed",
    ),
    category: str | None = None,
    kind: Literal["case", "opinion"] | None = None,
    overdue: bool | None = None,
    unit: str | None = Query(None, description="mã đơn vị: chỉ vụ việc của đơn vị này và các đơn vị trực thuộc"),
    mine: bool = False,
    page: int = Query(1, ge=1),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, Any]:
    require(reach, "cases")
    if status not in ("unfinished", "all", *case_rules.STATUS_LABELS):
        raise HTTPException(422, "Trạng thái không hợp lệ.")
    now = datetime.now(UTC).replace(tzinfo=None)
    filters = case_rules.CaseFilter(
        status=status, category=category, kind=kind, overdue=overdue, unit_code=unit, assigned_to_me=mine
    )
    result = case_rules.list_cases(session, reach, filters, page=page, page_size=page_size, now=now)
    return {
        "items": [case_summary(case, now) for case in result.items],
        "page": result.page,
        "page_size": result.page_size,
        "has_more": result.has_more,
    }


@router.get("/{case_id}")
def get_case(case_id: str, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    now = datetime.now(UTC).replace(tzinfo=None)
    return case_detail(session, load_case(session, reach, case_id), now)


class ReplyBody(BaseModel):
    text: str = Field(min_length=1)
    wait_for_member: bool = False


class AssignBody(BaseModel):
    username: str | None = Field(default=None, max_length=64)


class ResolveBody(BaseModel):
    note: str = Field(min_length=1, max_length=4000)
    close: bool = False


class EscalateBody(BaseModel):
    note: str = Field(default="", max_length=4000)


@router.post("/{case_id}/reply")
def reply(case_id: str, body: ReplyBody, request: Request, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    """The reply is stored in the outbox and reaches the member's channel even if it is down right now."""
    platform = get_platform(request)
    case = load_case(session, reach, case_id)
    try:
        item = case_rules.reply(
            session, platform.settings, reach, case, body.text, wait_for_member=body.wait_for_member
        )
    except case_rules.CaseError as exc:
        raise raise_for(exc) from exc
    session.commit()
    platform.outbox.notify()
    return {"id": case.id, "status": case.status, "delivery": {"id": item.id, "status": item.status}}


@router.post("/{case_id}/assign")
def assign(case_id: str, body: AssignBody, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    case = load_case(session, reach, case_id)
    try:
        case_rules.assign(session, reach, case, body.username)
    except case_rules.CaseError as exc:
        raise raise_for(exc) from exc
    assignee = session.get(StaffUser, case.assignee_id)
    return {"id": case.id, "status": case.status, "assignee": assignee.username if assignee else None}


@router.post("/{case_id}/resolve")
def resolve(case_id: str, body: ResolveBody, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    case = load_case(session, reach, case_id)
    try:
        case_rules.resolve(session, reach, case, body.note, close=body.close)
    except case_rules.CaseError as exc:
        raise raise_for(exc) from exc
    return {"id": case.id, "status": case.status, "resolved_at": iso(case.resolved_at)}


@router.post("/{case_id}/escalate")
def escalate(case_id: str, body: EscalateBody, request: Request, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    """Hand the case to the parent unit now, without waiting for its deadline."""
    case = load_case(session, reach, case_id)
    try:
        case_rules.escalate_by_staff(session, get_platform(request).settings, reach, case, body.note)
    except case_rules.CaseError as exc:
        raise raise_for(exc) from exc
    unit = session.get(Unit, case.unit_id)
    return {"id": case.id, "status": case.status, "unit_code": unit.code if unit else None}
