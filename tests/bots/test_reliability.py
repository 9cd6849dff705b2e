"""Handled once, sent once, limited politely: on SQLite and PostgreSQL, with a real Redis where it runs."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.config import Settings
from assistant.db.base import utcnow
from assistant.db.cases import OutboxItem
from assistant.db.channels import ChannelDelivery
from assistant.platform import Platform
from bots.channel import Block, OutgoingMessage
from bots.dedupe import Dedupe
from bots.delivery import ChannelDeliverer, Courier
from bots.hub import make_channel
from bots.loop import LoopThread
from bots.ratelimit import MemoryRateLimiter, RedisRateLimiter
from bots.state import ChatStates, Step
from tests.bots.fake_zalo import FakeZalo
from tests.conftest import make_settings


@pytest.fixture
def platform(db_settings: Settings) -> Platform:
    platform = Platform(db_settings)
    platform.migrate()
    return platform


def test_an_update_is_handled_once_even_when_workers_race(platform: Platform) -> None:
    dedupe = Dedupe(platform.db)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(dedupe.first_time("telegram", "42"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert dedupe.first_time("zalo", "42")  # keys are per channel
    assert dedupe.seen("telegram", "42") and not dedupe.seen("telegram", "43")
    dedupe.forget("telegram", "42")
    assert dedupe.first_time("telegram", "42")
    assert dedupe.purge(now=utcnow() + timedelta(days=8)) == 2


def test_a_pending_step_expires(platform: Platform) -> None:
    states = ChatStates(platform.db, ttl=timedelta(minutes=30))
    states.set("zalo", "c:u", Step("case_consent", {"category": "tien_luong"}))
    assert states.get("zalo", "c:u") == Step("case_consent", {"category": "tien_luong"})
    assert states.get("zalo", "c:u", now=utcnow() + timedelta(minutes=31)) is None
    states.set("zalo", "c:u", Step("case_describe"))
    assert states.get("zalo", "c:u") == Step("case_describe", {})
    assert states.purge(now=utcnow() + timedelta(minutes=31)) == 1
    assert states.get("zalo", "c:u") is None


def test_a_reply_cut_off_halfway_resumes_without_repeating_a_part(db_settings: Settings, tmp_path: Path) -> None:
    with FakeZalo() as fake:
        zalo = {"token": fake.token, "api_base_url": fake.base_url}
        settings = make_settings(tmp_path, database_url=db_settings.database_url, zalo=zalo)
        platform = Platform(settings)
        platform.migrate()
        runner = LoopThread()
        try:
            deliverer = ChannelDeliverer(platform.db, lambda: make_channel(settings, "zalo"), runner)
            platform.deliverers.register("zalo", deliverer)
            long_text = " ".join(f"Câu số {n} của một câu trả lời rất dài." for n in range(200))
            message = OutgoingMessage("zu1", [Block(long_text)])
            Courier(platform.db, platform.outbox, "zalo").enqueue([message])
            fake.fail_after = 1  # the first part goes through, then the API falls over
            first = platform.outbox.drain()
            assert first.retried == 1 and len(fake.sent()) == 1
            with platform.db.session() as session:
                item = session.scalars(select(OutboxItem)).one()
                assert item.status == "pending"
                assert session.get(ChannelDelivery, item.id).parts_sent == 1  # type: ignore[union-attr]
            fake.fail_after = None
            second = platform.outbox.drain(now=utcnow() + timedelta(minutes=10))
            assert second.sent == 1
            texts = [c.params["text"] for c in fake.sent()]
            assert len(texts) == len(set(texts)) >= 3  # every part once
            assert " ".join(texts).split() == long_text.split()
            assert platform.outbox.drain(now=utcnow() + timedelta(hours=2)).sent == 0
        finally:
            runner.close()
            platform.close()


def test_memory_rate_limit_refuses_politely_once_per_window() -> None:
    now = [1000.0]
    limiter = MemoryRateLimiter(limit=3, window=60, clock=lambda: now[0])
    verdicts = [limiter.hit("telegram:1") for _ in range(6)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False, False]
    assert [v.first_refusal for v in verdicts] == [False, False, False, True, False, False]
    assert 0 < verdicts[3].retry_after <= 61
    assert limiter.hit("telegram:2").allowed  # per person
    now[0] += 60
    assert limiter.hit("telegram:1").allowed  # a new window


def test_redis_rate_limit_is_shared_between_limiters() -> None:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"congdoan-test:{uuid.uuid4().hex}"
    first, second = RedisRateLimiter(client, 2, 60, prefix), RedisRateLimiter(client, 2, 60, prefix)
    assert first.hit("zalo:u").allowed and second.hit("zalo:u").allowed
    refused = first.hit("zalo:u")
    assert not refused.allowed and refused.first_refusal
    assert not second.hit("zalo:u").first_refusal
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_redis_down_lets_messages_through() -> None:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=0.5, socket_connect_timeout=0.5)
    assert RedisRateLimiter(client, 1, 60).hit("x").allowed
