"""Replies reach people through the delivery outbox: stored first, sent after, retried while the channel is
down. A reply split into parts records each part the channel accepted, so a retry resumes after the last
part that went out and never sends one twice."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from assistant.db.base import utcnow
from assistant.db.channels import ChannelDelivery
from assistant.db.engine import Database
from assistant.outbox import Delivery, Outbox, enqueue
from bots.channel import Channel, OutgoingMessage
from bots.dialogue import officer_message
from bots.loop import LoopThread

log = logging.getLogger(__name__)


class ChannelDeliverer:
    """The outbox's ``Deliverer`` for one chat channel (synchronous, as the outbox calls it)."""

    def __init__(self, db: Database, make_channel: Callable[[], Channel], runner: LoopThread) -> None:
        self.db = db
        self.make_channel = make_channel
        self.runner = runner
        self._channel: Channel | None = None

    @property
    def channel(self) -> Channel:
        if self._channel is None:
            self._channel = self.make_channel()
        return self._channel

    def _load(self, delivery: Delivery) -> tuple[OutgoingMessage, int]:
        with self.db.session() as session:
            row = session.get(ChannelDelivery, delivery.id)
            if row is not None and row.payload:
                return OutgoingMessage.from_json(row.payload), row.parts_sent
            sent = row.parts_sent if row is not None else 0
        # No stored payload: an officer's reply from the cases work.
        return officer_message(delivery.recipient, delivery.text, delivery.case_id), sent

    def _mark(self, outbox_id: str, parts_sent: int) -> None:
        with self.db.session() as session:
            row = session.get(ChannelDelivery, outbox_id)
            if row is None:
                session.add(ChannelDelivery(outbox_id=outbox_id, payload=None, parts_sent=parts_sent))
            else:
                row.parts_sent = parts_sent

    def deliver(self, delivery: Delivery) -> None:
        message, sent = self._load(delivery)
        parts = self.channel.render(message)
        for index in range(sent, len(parts)):
            self.runner.run(self.channel.send_part(parts[index]))
            self._mark(delivery.id, index + 1)


class Courier:
    """Puts a channel's replies in the outbox and asks for them to be sent now."""

    def __init__(self, db: Database, outbox: Outbox, channel: str) -> None:
        self.db = db
        self.outbox = outbox
        self.channel = channel

    def enqueue(self, messages: list[OutgoingMessage]) -> list[str]:
        now = utcnow()
        ids = []
        with self.db.session() as session:
            for n, message in enumerate(messages):
                # Distinct times keep the replies of one update in order when the outbox sends them.
                item = enqueue(
                    session,
                    channel=self.channel,
                    recipient=message.chat_id,
                    text=message.plain(),
                    # The transcript already holds the answer; only officers' replies are added to it.
                    conversation_id=None,
                    case_id=None,
                    now=now + timedelta(microseconds=n),
                )
                session.add(ChannelDelivery(outbox_id=item.id, payload=message.to_json(), parts_sent=0))
                ids.append(item.id)
        return ids

    async def post(self, messages: list[OutgoingMessage]) -> None:
        if not messages:
            return
        await asyncio.to_thread(self.enqueue, messages)
        self.outbox.notify()
        await asyncio.to_thread(self.outbox.drain)
