"""``congdoan bot telegram --polling`` and ``congdoan bot setup telegram|zalo --url``, with the real SDKs
against the fake Bot APIs."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from assistant.platform import Platform
from bots import polling
from bots.cli import webhook_url
from tests.api.conftest import LiveServer
from tests.bots.conftest import bot_settings, copy_template
from tests.bots.fake_telegram import FakeTelegram, visible_text
from tests.bots.fake_zalo import FakeZalo

NOTICE = "Nghỉ việc thì phải báo trước bao nhiêu ngày?"


@pytest.fixture
def polling_telegram(corpus_template: Path, tmp_path: Path, fake_telegram: FakeTelegram) -> Iterator[Platform]:
    copy_template(corpus_template, tmp_path)
    platform = Platform(bot_settings(tmp_path, fake_telegram, None))
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(polling.run_telegram(platform, stop),), daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=15)
        with contextlib.suppress(sqlite3.ProgrammingError):  # see test_zalo.polling_zalo
            platform.close()
    assert not thread.is_alive()


def test_polling_answers_each_update_once(polling_telegram: Platform, fake_telegram: FakeTelegram) -> None:
    update = fake_telegram.message(NOTICE)
    fake_telegram.push(update)
    fake_telegram.push(fake_telegram.message("/help"))
    sent = fake_telegram.wait_sent(2, timeout=30)
    assert "Điều 35" in visible_text(sent[0].params["text"]) or "Điều 35" in visible_text(sent[1].params["text"])
    fake_telegram.push(update)  # the same update again, as after a crash before the offset was confirmed
    time.sleep(1.5)
    assert len(fake_telegram.sent()) == 2
    offsets = [int(c.params.get("offset") or 0) for c in fake_telegram.attempts("getUpdates")]
    assert max(offsets) > update["update_id"]  # PTB confirmed what it had received
    assert fake_telegram.sent("deleteWebhook")  # polling and a webhook exclude each other


def test_webhook_url_rules() -> None:
    assert webhook_url("https://trogiup.congdoan.vn", "zalo") == "https://trogiup.congdoan.vn/webhooks/zalo"
    assert webhook_url("https://h/webhooks/telegram/", "telegram") == "https://h/webhooks/telegram"
    assert webhook_url("http://127.0.0.1:8000", "telegram") == "http://127.0.0.1:8000/webhooks/telegram"
    with pytest.raises(ValueError):
        webhook_url("http://trogiup.congdoan.vn", "telegram")
    with pytest.raises(ValueError):
        webhook_url("trogiup.congdoan.vn", "telegram")


def _setup(platform: Platform, channel: str, url: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["bot", "setup", channel, "--url", url], obj=platform)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
def test_setup_registers_the_webhook_with_a_fresh_secret_that_then_works(
    channel: str, corpus_template: Path, tmp_path: Path, fake_telegram: FakeTelegram, fake_zalo: FakeZalo
) -> None:
    copy_template(corpus_template, tmp_path)
    fake = fake_telegram if channel == "telegram" else fake_zalo
    settings = bot_settings(tmp_path, fake_telegram, fake_zalo)
    with LiveServer(settings, platform=Platform(settings)) as server:
        code, out, err = _setup(Platform(settings), channel, server.url)
        assert code == 0, err
        name, _, secret = out.strip().partition("=")
        assert name == f"CONGDOAN_{channel.upper()}__WEBHOOK_SECRET" and len(secret) >= 40
        assert fake.webhook_url == f"{server.url}/webhooks/{channel}" and fake.webhook_secret == secret
        code, out2, _ = _setup(Platform(settings), channel, server.url)
        assert code == 0 and out2 != out  # a new secret every time
        # The server still holds the old secret: the platform's webhook call is refused until it is updated.
        assert fake.push(fake.message("/start")) == 403
    settings = bot_settings(tmp_path, fake_telegram, fake_zalo)
    getattr(settings, channel).webhook_secret = type(getattr(settings, channel).webhook_secret)(
        out2.strip().split("=", 1)[1]
    )
    with LiveServer(settings, platform=Platform(settings)) as server:
        fake.webhook_url = f"{server.url}/webhooks/{channel}"
        assert fake.push(fake.message("/start")) == 200
        assert "Xin chào" in str(fake.wait_sent(1)[0].params["text"])


def test_setup_fails_clearly(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    from tests.conftest import make_settings

    code, _, err = _setup(Platform(make_settings(tmp_path)), "telegram", "https://h")
    assert code == 1 and "CONGDOAN_TELEGRAM__TOKEN" in err
    settings = bot_settings(tmp_path, fake_telegram, None)
    code, _, err = _setup(Platform(settings), "telegram", "http://example.org")
    assert code == 1 and "HTTPS" in err
    fake_telegram.mode = "down"
    code, _, err = _setup(Platform(settings), "telegram", "https://h")
    assert code == 1 and "Không đăng ký được webhook" in err
    code, _, _ = _setup(Platform(settings), "viber", "https://h")
    assert code != 0


def test_running_a_bot_needs_its_token_and_for_webhooks_its_secret(tmp_path: Path) -> None:
    from tests.conftest import make_settings

    runner = CliRunner()
    result = runner.invoke(app, ["bot", "zalo", "--polling"], obj=Platform(make_settings(tmp_path)))
    assert result.exit_code == 1 and "CONGDOAN_ZALO__TOKEN" in result.stderr
    settings = make_settings(tmp_path, telegram={"token": "1:x", "api_base_url": "http://127.0.0.1:9/bot"})
    result = runner.invoke(app, ["bot", "telegram"], obj=Platform(settings))
    assert result.exit_code == 1 and "congdoan bot setup telegram" in result.stderr
    assert "--polling" in runner.invoke(app, ["bot", "telegram", "--help"]).stdout
