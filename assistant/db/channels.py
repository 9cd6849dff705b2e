"""What the chat bots keep: updates already handled, a pending step per chat, and delivery progress.

``ChannelUpdate`` makes a redelivered update (a webhook retried, getUpdates returning one again) a no-op.
``ChatState`` remembers a question the bot asked (consent to open a case, a description) across workers.
``ChannelDelivery`` holds the formatted message for an outbox item and how many of its parts have gone out,
so a retry after an outage sends only the parts the channel has not yet accepted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assistant.db.base import Base, utcnow


class ChannelUpdate(Base):
    __tablename__ = "channel_updates"
    __table_args__ = (UniqueConstraint("channel", "update_key", name="uq_channel_updates_channel_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_key: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class ChatState(Base):
    __tablename__ = "chat_states"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_key: Mapped[str] = mapped_column(String(260), primary_key=True)  # "<chat id>:<user id>"
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ChannelDelivery(Base):
    __tablename__ = "channel_deliveries"

    outbox_id: Mapped[str] = mapped_column(
        ForeignKey("delivery_outbox.id", ondelete="CASCADE"), primary_key=True
    )
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
