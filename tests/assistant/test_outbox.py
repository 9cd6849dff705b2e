"""The delivery outbox against a real channel: a local HTTP server that is down (503) and then up."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from assistant import cases
from assistant.cases import OpenRequest
from assistant.config import Settings
from assistant.db.cases import OutboxItem
from assistant.db.conversations import Message
from assistant.db.engine import Database
from assistant.outbox import Deliverers, Delivery, Outbox, PermanentDeliveryError, WebDeliverer
from tests.assistant.fake_channel import FakeChannel, HttpDeliverer
from tests.assistant.union_seed import conversation, fresh_database, reach_for, seed_union

T0 = datetime(2026, 3, 2, 8, 0, 0)


@pytest.fixture
def channel() -> Iterator[FakeChannel]:
    server = FakeChannel()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def db(db_settings: Settings) -> Iterator[Database]:
    database = fresh_database(db_settings)
    with database.session() as s:
        seed_union(s)
    yield database
    database.dispose()


def _reply(db: Database, settings: Settings, channel: str, text: str) -> str:
    with db.session() as s:
        conv = conversation(s, channel=channel, user="chat-42", unit_code="HN-CG-A", at=T0)
        case, _ = cases.open_case(s, settings, OpenRequest(conversation_id=conv.id, consent=True), T0)
        item = cases.reply(s, settings, reach_for(s, "cb.hn-cg-a"), case, text, now=T0)
        return item.id


def test_channel_down_then_up_delivers_exactly_once(db: Database, db_settings: Settings, channel: FakeChannel) -> None:
    deliverers = Deliverers()
    deliverers.register("telegram", HttpDeliverer(channel.url))
    outbox = Outbox(db, deliverers, base_delay=10)
    item_id = _reply(db, db_settings, "telegram", "Công ty phải trả lương đúng hạn.")

    first = outbox.drain(T0)
    assert (first.sent, first.retried) == (0, 1) and channel.refused == 1
    with db.session() as s:
        item = s.get(OutboxItem, item_id)
        assert item is not None and item.status == "pending" and item.next_attempt_at == T0 + timedelta(seconds=10)
        assert "503" in item.last_error
    # Still down: the second attempt waits twice as long.
    assert outbox.drain(T0 + timedelta(seconds=10)).retried == 1
    assert outbox.drain(T0 + timedelta(seconds=29)).retried == 0  # not due yet: nothing is attempted
    assert channel.refused == 2

    channel.down = False
    assert outbox.drain(T0 + timedelta(seconds=30)).sent == 1
    for later in range(5):
        outbox.drain(T0 + timedelta(hours=later + 1))
    assert [m["text"] for m in channel.accepted] == ["Công ty phải trả lương đúng hạn."]
    assert channel.accepted[0]["key"] == item_id
    with db.session() as s:
        item = s.get(OutboxItem, item_id)
        assert item is not None and item.status == "sent" and item.attempts == 3
        # The transcript keeps the reply once, under the delivery's id.
        officer = list(s.scalars(select(Message).where(Message.role == "officer")))
        assert [(m.id, m.text) for m in officer] == [(item_id, "Công ty phải trả lương đúng hạn.")]


def test_two_workers_draining_at_once_send_once(db: Database, db_settings: Settings, channel: FakeChannel) -> None:
    channel.down = False
    deliverers = Deliverers()
    deliverers.register("zalo", HttpDeliverer(channel.url))
    ids = [_reply(db, db_settings, "zalo", f"Trả lời số {n}") for n in range(1)]
    with db.session() as s:
        for n in range(1, 6):
            conv = conversation(s, channel="zalo", user=f"chat-{n}", unit_code="HN-CG-A", at=T0)
            case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv.id, consent=True), T0)
            ids.append(cases.reply(s, db_settings, reach_for(s, "cb.hn-cg-a"), case, f"Trả lời số {n}", now=T0).id)
    workers = [Outbox(db, deliverers) for _ in range(4)]
    threads = [threading.Thread(target=w.drain, args=(T0,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["key"] for m in channel.accepted) == sorted(ids)


def test_a_permanent_failure_is_not_retried_and_no_channel_waits(db: Database, db_settings: Settings) -> None:
    class Blocked:
        calls = 0

        def deliver(self, delivery: Delivery) -> None:
            Blocked.calls += 1
            raise PermanentDeliveryError("người dùng đã chặn bot")

    deliverers = Deliverers()
    deliverers.register("telegram", Blocked())
    outbox = Outbox(db, deliverers)
    blocked = _reply(db, db_settings, "telegram", "Xin chào")
    waiting = _reply(db, db_settings, "zalo", "Xin chào")  # no zalo deliverer registered yet
    outbox.drain(T0)
    outbox.drain(T0 + timedelta(days=1))
    with db.session() as s:
        assert s.get(OutboxItem, blocked).status == "failed"  # type: ignore[union-attr]
        parked = s.get(OutboxItem, waiting)
        assert parked is not None and parked.status == "pending" and "zalo" in parked.last_error
    assert Blocked.calls == 1


def test_web_replies_land_in_the_conversation_once_even_if_sent_twice(db: Database, db_settings: Settings) -> None:
    deliverers = Deliverers()
    web = WebDeliverer(db)
    deliverers.register("web", web)
    item_id = _reply(db, db_settings, "web", "Anh/chị vui lòng mang theo hợp đồng lao động.")
    Outbox(db, deliverers).drain(T0)
    with db.session() as s:
        item = s.get(OutboxItem, item_id)
        assert item is not None and item.status == "sent"
        conv_id = item.conversation_id
    # A worker that crashed after sending but before marking would send again: still one message.
    web.deliver(Delivery(item_id, "web", "chat-42", conv_id, None, "Anh/chị vui lòng mang theo hợp đồng lao động.", 2))
    with db.session() as s:
        texts = list(
            s.scalars(select(Message.text).where(Message.conversation_id == conv_id, Message.role == "officer"))
        )
        assert texts == ["Anh/chị vui lòng mang theo hợp đồng lao động."]


def test_a_crashed_send_is_taken_over_after_its_lease(db: Database, db_settings: Settings) -> None:
    deliverers = Deliverers()
    sent: list[str] = []

    class Recorder:
        def deliver(self, delivery: Delivery) -> None:
            sent.append(delivery.id)

    deliverers.register("telegram", Recorder())
    outbox = Outbox(db, deliverers, lease_seconds=60)
    item_id = _reply(db, db_settings, "telegram", "Xin chào")
    assert outbox._claim(item_id, T0) is not None  # claimed, then the worker "dies"
    outbox.drain(T0 + timedelta(seconds=30))
    assert sent == []
    outbox.drain(T0 + timedelta(seconds=61))
    assert sent == [item_id]
