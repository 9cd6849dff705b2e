"""Every model, imported in one place so Alembic and ``create_all`` see the whole schema."""

from assistant.db.base import Base
from assistant.db.conversations import Conversation, Feedback, Message
from assistant.db.documents import Provision, Version, Work

__all__ = ["Base", "Conversation", "Feedback", "Message", "Provision", "Version", "Work"]
