"""Conversations and messages in the central database: what the chain needs from earlier turns, and each
exchange stored with its citations and retrieval trace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.conversations import Conversation, Message, new_id
from assistant.db.engine import Database
from assistant.legal import Answer

HISTORY_TURNS = 6


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

        Ids are made here rather than by the database, so the whole exchange is written by one flush in
        one transaction (one round of INSERTs at commit) instead of a flush after each row."""
        answer = exchange.answer
        now = utcnow()
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id) if conversation_id else None
            if conversation is None:
                new = new_id()
                # Web and CLI conversations have no chat id of their own; their id keeps them distinct.
                conversation = Conversation(id=new, channel=channel, external_id=new)
                session.add(conversation)
            question = Message(
                id=new_id(),
                conversation_id=conversation.id,
                role="user",
                text=exchange.question,
                as_of=answer.as_of,
                trace={"query": exchange.trace.get("query", exchange.question)},
                created_at=now,
            )
            reply = Message(
                id=new_id(),
                conversation_id=conversation.id,
                role="assistant",
                text=answer.answer,
                citations=[c.model_dump(mode="json") for c in answer.citations],
                trace=exchange.trace,
                refused=answer.refused,
                escalation=answer.escalation.model_dump(mode="json"),
                topic=exchange.topic,
                as_of=answer.as_of,
                latency_ms=exchange.latency_ms,
                created_at=now + timedelta(microseconds=1),  # after the question, even on a coarse clock
            )
            session.add_all((question, reply))
            return conversation.id, reply.id

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
