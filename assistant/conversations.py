"""Conversations and messages in the central database: what the chain needs from earlier turns, and each
exchange stored with its citations and retrieval trace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.conversations import Conversation, Message, new_id
from assistant.db.engine import Database
from assistant.legal import Answer

HISTORY_TURNS = 6
# Plain table INSERTs (not the ORM's bulk path): the rows are complete, nothing needs the identity map.
CONVERSATIONS = cast(Table, Conversation.__table__)
MESSAGES = cast(Table, Message.__table__)


@dataclass(frozen=True)
class History:
    conversation_id: str | None  # None: the conversation does not exist (yet)
    queries: tuple[str, ...] = ()  # earlier standalone queries, oldest first
    messages: tuple[str, ...] = ()  # earlier user messages, oldest first


@dataclass(frozen=True)
class Exchange:
    question: str
    answer: Answer
    trace: dict[str, Any]
    latency_ms: int
    topic: str | None = None


class ConversationStore:
    def __init__(self, db: Database, history_turns: int = HISTORY_TURNS) -> None:
        self.db = db
        self.history_turns = history_turns

    def history(self, conversation_id: str | None) -> History:
        """Earlier turns of a conversation; an unknown id gives an empty history (a new conversation)."""
        if not conversation_id:
            return History(None)
        with self.db.session() as session:
            if session.get(Conversation, conversation_id) is None:
                return History(None)
            earlier = list(
                session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation_id)
                    .order_by(Message.created_at.desc())
                    .limit(self.history_turns * 2)
                )
            )[::-1]
        queries = tuple(
            str(m.trace.get("query", "")) for m in earlier if m.role == "assistant" and m.trace.get("query")
        )
        messages = tuple(m.text for m in earlier if m.role == "user")
        return History(conversation_id, queries, messages)

    def save(self, conversation_id: str | None, exchange: Exchange, channel: str = "web") -> tuple[str, str]:
        """Store the question and the answer; returns (conversation id, answer message id).

        Ids are made here and the rows go in as plain INSERTs in one transaction: every answer is written
        this way, and the ORM's unit of work (identity map, cascades) cost more CPU than the answer's own
        Python steps under load."""
        answer = exchange.answer
        now = utcnow()
        with self.db.writing() as session:
            exists = conversation_id and session.scalar(
                select(Conversation.id).where(Conversation.id == conversation_id)
            )
            if not exists:
                conversation_id = new_id()
                # Web and CLI conversations have no chat id of their own; their id keeps them distinct.
                session.execute(
                    insert(CONVERSATIONS),
                    [{"id": conversation_id, "channel": channel, "external_id": conversation_id}],
                )
            reply_id = new_id()
            session.execute(
                insert(MESSAGES),
                [
                    {
                        "id": new_id(),
                        "conversation_id": conversation_id,
                        "role": "user",
                        "text": exchange.question,
                        "as_of": answer.as_of,
                        "trace": {"query": exchange.trace.get("query", exchange.question)},
                        # executemany compiles one statement for both rows: every row names every column.
                        "citations": [],
                        "refused": False,
                        "escalation": {},
                        "topic": None,
                        "latency_ms": None,
                        "created_at": now,
                    },
                    {
                        "id": reply_id,
                        "conversation_id": conversation_id,
                        "role": "assistant",
                        "text": answer.answer,
                        "citations": [c.model_dump(mode="json") for c in answer.citations],
                        "trace": exchange.trace,
                        "refused": answer.refused,
                        "escalation": answer.escalation.model_dump(mode="json"),
                        "topic": exchange.topic,
                        "as_of": answer.as_of,
                        "latency_ms": exchange.latency_ms,
                        # after the question, even on a coarse clock
                        "created_at": now + timedelta(microseconds=1),
                    },
                ],
            )
            return str(conversation_id), reply_id

    def messages(self, conversation_id: str) -> list[Message]:
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation_id)
                    .order_by(Message.created_at)
                )
            )


def question_before(session: Session, answer: Message) -> str:
    """The member's question an answer replied to: their last message before it."""
    question = session.scalar(
        select(Message.text)
        .where(
            Message.conversation_id == answer.conversation_id,
            Message.role == "user",
            Message.created_at <= answer.created_at,
        )
        .order_by(Message.created_at.desc())
        .limit(1)
    )
    return question or ""
