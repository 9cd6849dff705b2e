"""The delivery outbox: a reply is stored first and sent after, retried with exponential backoff.

From the member's point of view a reply arrives exactly once: an item is claimed with a compare-and-set
(so two workers never send it together), marked sent only after the channel accepted it, and carries its id
as an idempotency key. The web channel uses that key as the message id, so even a crash between sending and
marking cannot show a reply twice. Channels register a ``Deliverer`` by name (``web`` is built in; the bots
add ``telegram`` and ``zalo``); an item for a channel with no deliverer waits and is retried like an outage.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.cases import OutboxItem
from assistant.db.conversations import Conversation, Message
from assistant.db.engine import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    id: str  # idempotency key
    channel: str
    recipient: str
    conversation_id: str | None
    case_id: str | None
    text: str
    attempt: int


class DeliveryError(Exception):
    """The channel did not take the message now; it will be retried."""


class PermanentDeliveryError(DeliveryError):
    """The message can never be delivered (e.g. the recipient blocked the bot); it is not retried."""


class Deliverer(Protocol):
    def deliver(self, delivery: Delivery) -> None: ...


class Deliverers:
    """Deliverers by channel name."""

    def __init__(self) -> None:
        self._by_name: dict[str, Deliverer] = {}

    def register(self, name: str, deliverer: Deliverer) -> None:
        self._by_name[name] = deliverer

    def get(self, name: str) -> Deliverer | None:
        return self._by_name.get(name)

    def names(self) -> list[str]:
        return sorted(self._by_name)


def record_officer_message(session: Session, delivery: Delivery, now: datetime) -> None:
    """The reply in the conversation's transcript, under the delivery's id, so it cannot appear twice."""
    if delivery.conversation_id is None or session.get(Message, delivery.id) is not None:
        return
    conversation = session.get(Conversation, delivery.conversation_id)
    if conversation is None:
        raise PermanentDeliveryError("cuộc hội thoại không còn tồn tại")
    session.add(
        Message(
            id=delivery.id,
            conversation_id=conversation.id,
            role="officer",
            text=delivery.text,
            created_at=now,
        )
    )
    conversation.updated_at = now


class WebDeliverer:
    """The web widget reads its conversation, so delivering is storing the officer's message there."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def deliver(self, delivery: Delivery) -> None:
        if delivery.conversation_id is None:
            raise PermanentDeliveryError("phản hồi qua web cần một cuộc hội thoại")
        with self.db.session() as session:
            record_officer_message(session, delivery, utcnow())


def enqueue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    text: str,
    conversation_id: str | None,
    case_id: str | None,
    now: datetime | None = None,
) -> OutboxItem:
    item = OutboxItem(
        channel=channel,
        recipient=recipient,
        text=text,
        conversation_id=conversation_id,
        case_id=case_id,
        status="pending",
        next_attempt_at=now or utcnow(),
        created_at=now or utcnow(),
    )
    session.add(item)
    session.flush()
    return item


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class Outbox:
    def __init__(
        self,
        db: Database,
        deliverers: Deliverers,
        *,
        base_delay: float = 5.0,
        max_delay: float = 3600.0,
        max_attempts: int = 15,
        lease_seconds: float = 120.0,
    ) -> None:
        self.db = db
        self.deliverers = deliverers
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_attempts = max_attempts
        self.lease = timedelta(seconds=lease_seconds)
        self.wakeup = threading.Event()

    def notify(self) -> None:
        """Something was enqueued: a waiting worker drains now instead of at its next tick."""
        self.wakeup.set()

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.base_delay * 2 ** max(attempts - 1, 0), self.max_delay))

    def _claimable(self, now: datetime) -> ColumnElement[bool]:
        return or_(
            and_(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now),
            # A worker that died mid-send left its lease behind.
            and_(OutboxItem.status == "sending", OutboxItem.lease_until < now),
        )

    def drain(self, now: datetime | None = None, limit: int = 100) -> DrainResult:
        now = now or utcnow()
        result = DrainResult()
        with self.db.session() as session:
            due = list(
                session.scalars(
                    select(OutboxItem.id)
                    .where(self._claimable(now))
                    .order_by(OutboxItem.next_attempt_at)
                    .limit(limit)
                )
            )
        for item_id in due:
            delivery = self._claim(item_id, now)
            if delivery is not None:
                self._attempt(delivery, now, result)
        return result

    def _claim(self, item_id: str, now: datetime) -> Delivery | None:
        with self.db.session() as session:
            claimed = session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id, self._claimable(now))
                .values(status="sending", lease_until=now + self.lease, attempts=OutboxItem.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return None
            item = session.get(OutboxItem, item_id, populate_existing=True)
            assert item is not None
            return Delivery(
                id=item.id,
                channel=item.channel,
                recipient=item.recipient,
                conversation_id=item.conversation_id,
                case_id=item.case_id,
                text=item.text,
                attempt=item.attempts,
            )

    def _attempt(self, delivery: Delivery, now: datetime, result: DrainResult) -> None:
        deliverer = self.deliverers.get(delivery.channel)
        try:
            if deliverer is None:
                raise DeliveryError(f"chưa cấu hình kênh '{delivery.channel}'")
            deliverer.deliver(delivery)
        except PermanentDeliveryError as exc:
            self._finish(delivery, status="failed", error=str(exc))
            result.failed += 1
            result.errors.append(str(exc))
        except Exception as exc:  # any channel failure is retried; the reason is kept on the item
            log.warning(
                "Gửi phản hồi %s qua %s thất bại (lần %d): %s",
                delivery.id,
                delivery.channel,
                delivery.attempt,
                exc,
            )
            if delivery.attempt >= self.max_attempts:
                self._finish(delivery, status="failed", error=str(exc))
                result.failed += 1
            else:
                self._finish(
                    delivery,
                    status="pending",
                    error=str(exc),
                    next_attempt_at=now + self.backoff(delivery.attempt),
                )
                result.retried += 1
            result.errors.append(str(exc))
        else:
            self._finish(delivery, status="sent", error="", sent_at=utcnow(), transcript=True)
            result.sent += 1

    def _finish(
        self,
        delivery: Delivery,
        *,
        status: str,
        error: str,
        next_attempt_at: datetime | None = None,
        sent_at: datetime | None = None,
        transcript: bool = False,
    ) -> None:
        values: dict[str, object] = {"status": status, "last_error": error[:2000], "lease_until": None}
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        if sent_at is not None:
            values["sent_at"] = sent_at
        with self.db.session() as session:
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == delivery.id, OutboxItem.status == "sending")
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if transcript:
                # Sent, but if the conversation is gone there is no transcript left to keep it in.
                with suppress(PermanentDeliveryError):
                    record_officer_message(session, delivery, sent_at or utcnow())


def default_deliverers(db: Database) -> Deliverers:
    deliverers = Deliverers()
    deliverers.register("web", WebDeliverer(db))
    return deliverers
