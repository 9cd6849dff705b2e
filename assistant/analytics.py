"""Figures for the dashboard, always within the staff member's reach: questions per day, unit and topic,
satisfaction, refused and unanswered questions, cases by status and overdue, most cited provisions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from assistant.access import Reach, cases_in_reach, conversation_visible
from assistant.cases import CATEGORIES, OPINION_CATEGORIES, RUNNING, STATUS_LABELS
from assistant.conversations import question_before
from assistant.db.base import utcnow
from assistant.db.conversations import Conversation, Feedback, Message
from assistant.db.union import Unit

UNPLACED = "(chưa xác định đơn vị)"
NO_TOPIC = "(chưa phân loại)"


def _vn_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The calendar day in Vietnam (UTC+7) of a stored UTC time."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column, "+7 hours")
    return func.date(column + timedelta(hours=7))


def _in_window(reach: Reach, since: datetime, role: str) -> list[ColumnElement[bool]]:
    return [conversation_visible(reach), Message.role == role, Message.created_at >= since]


def questions_per_day(session: Session, reach: Reach, since: datetime, until: datetime) -> list[dict[str, Any]]:
    day = _vn_day(session, Message.created_at)
    rows = session.execute(
        select(day, func.count())
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(*_in_window(reach, since, "user"))
        .group_by(day)
    ).all()
    counts = {str(d): int(n) for d, n in rows}
    first = since.replace(tzinfo=None) + timedelta(hours=7)
    days = (until - since).days + 1
    out = []
    for offset in range(days):
        label = (first.date() + timedelta(days=offset)).isoformat()
        out.append({"date": label, "count": counts.get(label, 0)})
    return out


def questions_per_unit(session: Session, reach: Reach, since: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Conversation.unit_code, func.count())
        .select_from(Message)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(*_in_window(reach, since, "user"))
        .group_by(Conversation.unit_code)
        .order_by(func.count().desc())
    ).all()
    names = dict(
        session.execute(select(Unit.code, Unit.name).where(Unit.code.in_([c for c, _ in rows if c]))).tuples().all()
    )
    return [
        {"unit_code": code, "unit_name": names.get(code, UNPLACED) if code else UNPLACED, "count": int(n)}
        for code, n in rows
    ]


def questions_per_topic(session: Session, reach: Reach, since: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Message.topic, func.count())
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(*_in_window(reach, since, "assistant"))
        .group_by(Message.topic)
        .order_by(func.count().desc())
    ).all()
    return [{"topic": topic or NO_TOPIC, "count": int(n)} for topic, n in rows]


def satisfaction(session: Session, reach: Reach, since: datetime) -> dict[str, Any]:
    base = (
        select(Feedback)
        .join(Message, Feedback.message_id == Message.id)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(conversation_visible(reach), Feedback.created_at >= since)
    )
    counts = Counter(session.scalars(base.with_only_columns(Feedback.rating)))
    up, down = counts.get(1, 0), counts.get(-1, 0)
    comments = session.scalars(base.where(Feedback.comment != "").order_by(Feedback.created_at.desc()).limit(10))
    return {
        "up": up,
        "down": down,
        "rate": round(up / (up + down), 3) if up + down else None,
        "recent_comments": [
            {"rating": f.rating, "comment": f.comment, "created_at": f.created_at.isoformat()} for f in comments
        ],
    }


def refused_and_unanswered(session: Session, reach: Reach, since: datetime, limit: int = 10) -> dict[str, Any]:
    """Refused: the assistant declined. Unanswered: it answered without any citation (nothing found)."""
    answers = (
        select(Message)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(*_in_window(reach, since, "assistant"))
    )
    refused = answers.where(Message.refused.is_(True))
    count = session.scalar(select(func.count()).select_from(refused.subquery())) or 0
    unanswered_rows = [
        m
        for m in session.scalars(answers.where(Message.refused.is_(False)).order_by(Message.created_at.desc()))
        if not m.citations
    ]
    latest = list(session.scalars(refused.order_by(Message.created_at.desc()).limit(limit)))
    return {
        "refused": int(count),
        "unanswered": len(unanswered_rows),
        "recent_refused": _questions_for(session, latest),
        "recent_unanswered": _questions_for(session, unanswered_rows[:limit]),
    }


def _questions_for(session: Session, answers: list[Message]) -> list[dict[str, Any]]:
    """The question each answer replied to: the member's last message before it."""
    out = []
    for answer in answers:
        out.append({"question": question_before(session, answer), "at": answer.created_at.isoformat()})
    return out


def cases_overview(session: Session, reach: Reach, now: datetime) -> dict[str, Any]:
    scoped = cases_in_reach(reach).subquery()
    by_status: dict[str, int] = dict(
        session.execute(select(scoped.c.status, func.count()).group_by(scoped.c.status)).tuples().all()
    )
    by_category = session.execute(
        select(scoped.c.kind, scoped.c.category, func.count()).group_by(scoped.c.kind, scoped.c.category)
    ).all()
    overdue = session.scalar(
        select(func.count()).select_from(scoped).where(scoped.c.status.in_(RUNNING), scoped.c.due_at < now)
    )
    labels = {"case": CATEGORIES, "opinion": OPINION_CATEGORIES}
    return {
        "by_status": [
            {"status": s, "label": label, "count": int(by_status.get(s, 0))} for s, label in STATUS_LABELS.items()
        ],
        "by_category": [
            {"kind": k, "category": c, "label": labels.get(k, {}).get(c, c), "count": int(n)}
            for k, c, n in sorted(by_category, key=lambda r: -r[2])
        ],
        "overdue": int(overdue or 0),
    }


def top_citations(session: Session, reach: Reach, since: datetime, limit: int = 10) -> list[dict[str, Any]]:
    counter: Counter[tuple[str, int | None, str]] = Counter()
    citations = session.scalars(
        select(Message.citations)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(*_in_window(reach, since, "assistant"))
    )
    for cited in citations:
        seen: set[tuple[str, int | None, str]] = set()
        for citation in cited or []:
            if isinstance(citation, dict) and citation.get("work_number"):
                seen.add(
                    (
                        str(citation["work_number"]),
                        citation.get("article"),
                        str(citation.get("document_title") or ""),
                    )
                )
        counter.update(seen)
    return [
        {
            "work_number": work,
            "article": article,
            "document_title": title,
            "count": n,
            "label": f"Điều {article} {title} ({work})".replace("  ", " ") if article else f"{title} ({work})",
        }
        for (work, article, title), n in counter.most_common(limit)
    ]


def dashboard(session: Session, reach: Reach, days: int = 30, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    days = min(max(days, 1), 366)
    today_vn = (now + timedelta(hours=7)).date()
    start_vn = today_vn - timedelta(days=days - 1)
    since = datetime.combine(start_vn, datetime.min.time()) - timedelta(hours=7)
    return {
        "days": days,
        "since": start_vn.isoformat(),
        "questions_per_day": questions_per_day(session, reach, since, now),
        "questions_per_unit": questions_per_unit(session, reach, since),
        "questions_per_topic": questions_per_topic(session, reach, since),
        "satisfaction": satisfaction(session, reach, since),
        "refused_unanswered": refused_and_unanswered(session, reach, since),
        "cases": cases_overview(session, reach, now),
        "top_citations": top_citations(session, reach, since),
    }
