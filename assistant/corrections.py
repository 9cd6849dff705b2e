"""Legal staff mark an assistant's answer as wrong with a correction; it becomes a task for curators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from assistant.access import Reach, curator_tasks_in_reach, get_in_reach, messages_in_reach
from assistant.cases import CaseError
from assistant.conversations import question_before
from assistant.db.base import utcnow
from assistant.db.cases import CuratorTask
from assistant.db.conversations import Message


def mark_wrong(
    session: Session, reach: Reach, message_id: str, correction: str, now: datetime | None = None
) -> CuratorTask | None:
    """None when the answer is not in reach (or does not exist): the caller answers 404 either way."""
    message: Message | None = get_in_reach(session, messages_in_reach(reach), Message.id == message_id)
    if message is None or message.role != "assistant":
        return None
    correction = correction.strip()
    if not correction:
        raise CaseError("Vui lòng ghi nội dung đính chính.", "invalid")
    task = CuratorTask(
        message_id=message.id,
        unit_id=reach.unit_id,
        created_by_id=reach.staff_id,
        correction=correction,
        answer_text=message.text,
        citations=list(message.citations or []),
        created_at=now or utcnow(),
    )
    session.add(task)
    session.flush()
    return task


def open_tasks(session: Session, reach: Reach, status: str = "open", limit: int = 100) -> list[CuratorTask]:
    query = curator_tasks_in_reach(reach)
    if status != "all":
        query = query.where(CuratorTask.status == status)
    return list(session.scalars(query.order_by(CuratorTask.created_at.desc()).limit(limit)))


def resolve_task(
    session: Session, reach: Reach, task_id: int, note: str, now: datetime | None = None
) -> CuratorTask | None:
    task: CuratorTask | None = get_in_reach(session, curator_tasks_in_reach(reach), CuratorTask.id == task_id)
    if task is None:
        return None
    task.status, task.resolution_note = "done", note.strip()
    task.resolved_at, task.resolved_by_id = now or utcnow(), reach.staff_id
    session.flush()
    return task


def question_for(session: Session, task: CuratorTask) -> str:
    """The member's question the wrong answer replied to, while the conversation is still kept."""
    if task.message_id is None:
        return ""
    answer = session.get(Message, task.message_id)
    if answer is None:
        return ""
    return question_before(session, answer)
