"""What staff read besides cases, each narrowed to their reach (404 outside it): members, conversations,
the document catalogue (internal documents of units in reach and above only), answers marked wrong and the
curators' tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from api.routes.auth import ReachDep, TxDep, require
from api.routes.cases import iso, message_json
from assistant import access
from assistant.cases import CaseError
from assistant.corrections import mark_wrong, open_tasks, question_for, resolve_task
from assistant.db.conversations import Conversation
from assistant.db.documents import Work
from assistant.db.union import Member, Unit
from assistant.documents import article_counts, version_status

router = APIRouter(prefix="/api/v1", tags=["staff"])


def _page(query: Any, page: int, page_size: int) -> Any:
    return query.offset((page - 1) * page_size).limit(page_size)


@router.get("/members")
def list_members(
    reach: ReachDep,
    session: TxDep,
    q: str | None = Query(None, max_length=100),
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    require(reach, "members")
    query = access.members_in_reach(reach).options(selectinload(Member.unit))
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Member.full_name.ilike(like), Member.member_code.ilike(like), Member.phone.like(like)))
    members = session.scalars(_page(query.order_by(Member.member_code), page, page_size))
    return {"items": [_member(m) for m in members], "page": page, "page_size": page_size}


def _member(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "member_code": member.member_code,
        "full_name": member.full_name,
        "phone": member.phone,
        "unit_code": member.unit.code,
        "unit_name": member.unit.name,
    }


@router.get("/members/{member_id}")
def get_member(member_id: int, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    require(reach, "members")
    member = access.get_in_reach(session, access.members_in_reach(reach), Member.id == member_id)
    if member is None:
        raise HTTPException(404, "Không tìm thấy đoàn viên.")
    return _member(member)


@router.get("/conversations")
def list_conversations(
    reach: ReachDep,
    session: TxDep,
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    require(reach, "conversations")
    query = access.conversations_in_reach(reach).order_by(Conversation.created_at.desc(), Conversation.id)
    return {
        "items": [_conversation(c) for c in session.scalars(_page(query, page, page_size))],
        "page": page,
        "page_size": page_size,
    }


def _conversation(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "channel": conversation.channel,
        "unit_code": conversation.unit_code,
        "member_id": conversation.member_id,
        "created_at": iso(conversation.created_at),
    }


@router.get("/conversations/{conversation_id}")
def get_conversation(conversation_id: str, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    require(reach, "conversations")
    conversation = access.get_in_reach(
        session, access.conversations_in_reach(reach), Conversation.id == conversation_id
    )
    if conversation is None:
        raise HTTPException(404, "Không tìm thấy cuộc hội thoại.")
    return {
        **_conversation(conversation),
        "messages": [message_json(m) for m in conversation.messages],
    }


def _work(work: Work, counts: dict[int, int], today: date) -> dict[str, Any]:
    return {
        "id": work.id,
        "work_number": work.number,
        "title": work.title,
        "doc_type": work.doc_type,
        "issuer": work.issuer,
        "issued_on": work.issued_on.isoformat() if work.issued_on else None,
        "scope_unit_code": work.scope_unit_code,
        "versions": [
            {
                "label": v.label,
                "valid_from": v.valid_from.isoformat(),
                "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                "status": version_status(work, v, today),
                "articles": counts.get(v.id, 0),
            }
            for v in work.versions
        ],
    }


@router.get("/documents")
def list_documents(reach: ReachDep, session: TxDep) -> list[dict[str, Any]]:
    """The catalogue: public law plus the internal documents this staff member may see."""
    require(reach, "documents")
    works = session.scalars(
        access.works_in_reach(session, reach).options(selectinload(Work.versions)).order_by(Work.number)
    )
    counts, today = article_counts(session), date.today()
    return [_work(w, counts, today) for w in works]


@router.get("/documents/{work_id}")
def get_document(work_id: int, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    require(reach, "documents")
    work = access.get_in_reach(session, access.works_in_reach(session, reach), Work.id == work_id)
    if work is None:
        raise HTTPException(404, "Không tìm thấy văn bản.")
    return _work(work, article_counts(session), date.today())


class CorrectionBody(BaseModel):
    correction: str = Field(min_length=1, max_length=8000)


@router.post("/messages/{message_id}/correction", status_code=201)
def correct_answer(message_id: str, body: CorrectionBody, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    """Legal staff: this answer is wrong; the correction becomes a task for curators."""
    require(reach, "correct_answers")
    try:
        task = mark_wrong(session, reach, message_id, body.correction)
    except CaseError as exc:
        raise HTTPException(422, str(exc)) from exc
    if task is None:
        raise HTTPException(404, "Không tìm thấy câu trả lời.")
    return {"id": task.id, "status": task.status}


@router.get("/curator-tasks")
def curator_tasks(
    reach: ReachDep, session: TxDep, status: str = Query("open", pattern="^(open|done|all)$")
) -> list[dict[str, Any]]:
    require(reach, "curator_tasks")
    units = dict(session.execute(select(Unit.id, Unit.code)).tuples().all())
    return [
        {
            "id": t.id,
            "status": t.status,
            "unit_code": units.get(t.unit_id),
            "correction": t.correction,
            "answer_text": t.answer_text,
            "citations": t.citations,
            "question": question_for(session, t),
            "message_id": t.message_id,
            "created_at": iso(t.created_at),
            "resolution_note": t.resolution_note,
        }
        for t in open_tasks(session, reach, status)
    ]


class ResolveTaskBody(BaseModel):
    note: str = Field(default="", max_length=4000)


@router.post("/curator-tasks/{task_id}/resolve")
def resolve_curator_task(task_id: int, body: ResolveTaskBody, reach: ReachDep, session: TxDep) -> dict[str, Any]:
    require(reach, "curator_tasks")
    task = resolve_task(session, reach, task_id, body.note)
    if task is None:
        raise HTTPException(404, "Không tìm thấy nhiệm vụ.")
    return {"id": task.id, "status": task.status}


@router.get("/units")
def list_units(reach: ReachDep, session: TxDep) -> list[dict[str, Any]]:
    """The units in reach, in tree order (for filters)."""
    counts = dict(session.execute(select(Member.unit_id, func.count()).group_by(Member.unit_id)).tuples().all())
    units = session.scalars(select(Unit).where(access.unit_in_reach(reach)).order_by(Unit.path))
    return [
        {"code": u.code, "name": u.name, "level": u.level, "depth": u.depth, "members": counts.get(u.id, 0)}
        for u in units
    ]
