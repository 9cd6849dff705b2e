"""Ratings members give to answers (👍 = 1, 👎 = -1, with an optional comment); rating again replaces."""

from __future__ import annotations

from sqlalchemy import select

from assistant.db.conversations import Feedback, Message
from assistant.db.engine import Database

MAX_COMMENT_CHARS = 2000


class UnknownMessage(LookupError):
    """No assistant answer has this id."""


def record_feedback(db: Database, message_id: str, rating: int, comment: str = "") -> int:
    """Store the rating of one answer; returns the feedback id."""
    if rating not in (1, -1):
        raise ValueError("rating must be 1 or -1")
    with db.session() as session:
        message = session.get(Message, message_id)
        if message is None or message.role != "assistant":
            raise UnknownMessage(message_id)
        feedback = session.scalar(select(Feedback).where(Feedback.message_id == message_id))
        if feedback is None:
            feedback = Feedback(message_id=message_id, rating=rating, comment=comment[:MAX_COMMENT_CHARS])
            session.add(feedback)
        else:
            feedback.rating = rating
            feedback.comment = comment[:MAX_COMMENT_CHARS]
        session.flush()
        return feedback.id
