"""Personal data (Vietnam's personal data protection law, Nghị định 13/2023/NĐ-CP): phone numbers, ID numbers
and e-mail addresses never reach the logs; old conversations are purged after the retention period; a member
can get everything held about them, or have it erased."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, or_, select, tuple_, update
from sqlalchemy.orm import Session

from assistant.cases import FINISHED, UNFINISHED, Actor, format_vn, record
from assistant.config import Settings
from assistant.db.base import utcnow
from assistant.db.cases import Case
from assistant.db.conversations import Conversation, Feedback, Message
from assistant.db.union import ChannelIdentity, Member, Unit
from assistant.members import by_code

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\w])")
ID_NUMBER = re.compile(r"(?<![\w])(?:\d{12}|\d{9})(?![\w])")
ERASED = "[đã xoá theo yêu cầu của đoàn viên]"


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "*" * (len(digits) - 3) + digits[-3:]


def mask(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub(_mask_phone, text)
    return ID_NUMBER.sub(lambda m: "*" * len(m.group()), text)


class MaskingFilter(logging.Filter):
    """Rewrites a record's message (and traceback) with personal data masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_congdoan_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as is rather than lost
            return True
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        record._congdoan_masked = True
        return True


_installed: MaskingFilter | None = None


def install_log_masking() -> MaskingFilter:
    """Mask every log record of the process: on the root logger and its handlers, and at record creation,
    which also covers loggers that do not propagate and handlers configured later (uvicorn's)."""
    global _installed
    if _installed is not None:
        return _installed
    masking = MaskingFilter()
    root = logging.getLogger()
    root.addFilter(masking)
    for handler in root.handlers:
        handler.addFilter(masking)
    make_record = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        made = make_record(*args, **kwargs)
        masking.filter(made)
        return made

    logging.setLogRecordFactory(masked_record)
    _installed = masking
    return masking


# --- retention ------------------------------------------------------------------------------------


def purge_expired(session: Session, settings: Settings, now: datetime | None = None, batch: int = 500) -> int:
    """Delete conversations with no message in the last ``retention_days`` days, except those attached to a
    case that is still open. Messages, ratings and pending deliveries go with them (foreign keys cascade)."""
    if settings.retention_days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=settings.retention_days)
    recent = exists().where(Message.conversation_id == Conversation.id, Message.created_at >= cutoff)
    open_case = exists().where(Case.conversation_id == Conversation.id, Case.status.in_(UNFINISHED))
    purged = 0
    while True:
        ids = list(
            session.scalars(
                select(Conversation.id).where(Conversation.created_at < cutoff, ~recent, ~open_case).limit(batch)
            )
        )
        if not ids:
            break
        session.execute(
            update(Case)
            .where(Case.conversation_id.in_(ids))
            .values(conversation_id=None, contact_phone=None, channel_user_id="")
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
        purged += len(ids)
    return purged


# --- a member's requests --------------------------------------------------------------------------


def _member_conversations(session: Session, member: Member) -> list[Conversation]:
    identities = session.execute(
        select(ChannelIdentity.channel, ChannelIdentity.channel_user_id).where(ChannelIdentity.member_id == member.id)
    ).all()
    conditions = [Conversation.member_id == member.id]
    if identities:
        conditions.append(tuple_(Conversation.channel, Conversation.channel_user_id).in_(identities))
    return list(session.scalars(select(Conversation).where(or_(*conditions)).order_by(Conversation.created_at)))


def _member_cases(session: Session, member: Member, conversation_ids: list[str]) -> list[Case]:
    return list(
        session.scalars(
            select(Case)
            .where(or_(Case.member_id == member.id, Case.conversation_id.in_(conversation_ids)))
            .order_by(Case.created_at)
        )
    )


def export_member(session: Session, member_code: str) -> dict[str, Any] | None:
    """Everything held about one member, as one JSON-ready document."""
    member = by_code(session, member_code)
    if member is None:
        return None
    unit = session.get(Unit, member.unit_id)
    conversations = _member_conversations(session, member)
    ratings = dict(
        session.execute(
            select(Feedback.message_id, Feedback.rating).where(
                Feedback.message_id.in_(
                    select(Message.id).where(Message.conversation_id.in_([c.id for c in conversations]))
                )
            )
        )
        .tuples()
        .all()
    )
    cases = _member_cases(session, member, [c.id for c in conversations])
    return {
        "member": {
            "member_code": member.member_code,
            "full_name": member.full_name,
            "phone": member.phone,
            "unit_code": unit.code if unit else None,
            "unit_name": unit.name if unit else None,
            "created_at": member.created_at.isoformat(),
        },
        "channel_identities": [
            {
                "channel": i.channel,
                "channel_user_id": i.channel_user_id,
                "method": i.method,
                "linked_at": i.linked_at.isoformat() if i.linked_at else None,
            }
            for i in session.scalars(select(ChannelIdentity).where(ChannelIdentity.member_id == member.id))
        ],
        "conversations": [
            {
                "id": c.id,
                "channel": c.channel,
                "created_at": c.created_at.isoformat(),
                "messages": [
                    {
                        "role": m.role,
                        "text": m.text,
                        "created_at": m.created_at.isoformat(),
                        "rating": ratings.get(m.id),
                    }
                    for m in c.messages
                ],
            }
            for c in conversations
        ],
        "cases": [
            {
                "id": case.id,
                "kind": case.kind,
                "category": case.category,
                "status": case.status,
                "subject": case.subject,
                "description": case.description,
                "contact_phone": case.contact_phone,
                "created_at": case.created_at.isoformat(),
                "events": [
                    {"at": e.at.isoformat(), "action": e.action, "actor": e.actor_name, "note": e.note}
                    for e in case.events
                ],
            }
            for case in cases
        ],
    }


def forget_member(session: Session, member_code: str, now: datetime | None = None) -> dict[str, int] | None:
    """Erase a member: their conversations (with messages, ratings, pending replies), channel links and the
    member record. Their cases stay as anonymous union records: personal fields and notes are erased, and a
    case still open is closed, since nobody can be answered any more."""
    now = now or utcnow()
    member = by_code(session, member_code)
    if member is None:
        return None
    conversations = _member_conversations(session, member)
    conversation_ids = [c.id for c in conversations]
    cases = _member_cases(session, member, conversation_ids)
    for case in cases:
        _erase_case(session, case, now)
    session.flush()
    if conversation_ids:
        session.execute(delete(Conversation).where(Conversation.id.in_(conversation_ids)))
    identities = session.execute(delete(ChannelIdentity).where(ChannelIdentity.member_id == member.id))
    session.delete(member)
    session.flush()
    return {
        "conversations": len(conversation_ids),
        "cases_anonymised": len(cases),
        "channel_identities": int(identities.rowcount or 0),  # type: ignore[attr-defined]
    }


def _erase_case(session: Session, case: Case, now: datetime) -> None:
    for event in case.events:
        event.note, event.data = "", {}
    case.member_id, case.contact_phone, case.channel_user_id = None, None, ""
    case.subject, case.description = ERASED, ""
    if case.status not in FINISHED:
        before = case.status
        case.status, case.resolved_at, case.due_at = "closed", now, None
        case.resolution_note = "Đóng do đoàn viên yêu cầu xoá dữ liệu cá nhân."
        record(session, case, Actor.system(), "closed", now, from_status=before, note=case.resolution_note)
    else:
        record(session, case, Actor.system(), "erased", now, note=f"Xoá dữ liệu cá nhân lúc {format_vn(now)}.")
