"""The bots one process runs, built from the platform: a runtime per configured channel, the outbox
deliverers for Telegram and Zalo, and a loop that retries replies a channel could not take yet."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from assistant.config import BotSettings, Settings
from bots import telegram, zalo
from bots.channel import Channel
from bots.dedupe import Dedupe
from bots.delivery import ChannelDeliverer, Courier
from bots.dialogue import Dialogue
from bots.loop import LoopThread
from bots.ratelimit import build_rate_limiter
from bots.runtime import BotRuntime
from bots.services import AssistantService, UnionService
from bots.state import ChatStates

if TYPE_CHECKING:
    from assistant.platform import Platform

log = logging.getLogger(__name__)

CHANNELS = (telegram.NAME, zalo.NAME)
RETRY_EVERY = 5.0  # seconds between passes over replies waiting for a channel to come back
PURGE_EVERY = 3600.0


def bot_settings(settings: Settings, name: str) -> BotSettings:
    if name not in CHANNELS:
        raise ValueError(f"kênh không hỗ trợ: {name}")
    return settings.telegram if name == telegram.NAME else settings.zalo


def configured(settings: Settings) -> list[str]:
    return [name for name in CHANNELS if bot_settings(settings, name).token.get_secret_value()]


def make_channel(settings: Settings, name: str) -> Channel:
    """A channel with its own SDK client (clients are bound to the event loop that first uses them)."""
    if name == telegram.NAME:
        return telegram.TelegramChannel(telegram.build_bot(settings.telegram))
    return zalo.ZaloChannel(zalo.build_api(settings.zalo))


def register_deliverers(platform: Platform, runner: LoopThread) -> None:
    """Officers' replies and the bots' own answers reach Telegram and Zalo through the outbox."""
    settings = platform.settings
    for name in configured(settings):
        deliverer = ChannelDeliverer(platform.db, lambda name=name: make_channel(settings, name), runner)  # type: ignore[misc]
        platform.deliverers.register(name, deliverer)


def build_runtime(platform: Platform, channel: Channel) -> BotRuntime:
    settings = platform.settings
    dialogue = Dialogue(
        AssistantService(platform.db, lambda: platform.chat),
        UnionService(platform.db, settings),
        ChatStates(platform.db),
        channel.capabilities,
        max_chars=settings.max_message_chars,
    )
    return BotRuntime(
        channel,
        dialogue,
        Dedupe(platform.db),
        build_rate_limiter(settings.redis_url),
        Courier(platform.db, platform.outbox, channel.name),
    )


async def initialize_channel(channel: Channel) -> bool:
    """Learn the bot's own identity (its @username for mentions in groups); False if the API is down."""
    try:
        if isinstance(channel, telegram.TelegramChannel):
            await channel.bot.initialize()
        elif isinstance(channel, zalo.ZaloChannel):
            await channel.initialize()
    except Exception as exc:  # the API may be down at start; receiving still works, mentions wait
        log.warning("%s: không lấy được thông tin bot (%s); sẽ thử lại sau.", channel.name, exc)
        return False
    return True


async def keep_initializing(channel: Channel, every: float = 30.0) -> None:
    while not await initialize_channel(channel):
        await asyncio.sleep(every)


async def purge_forever(platform: Platform, every: float = PURGE_EVERY) -> None:
    """Forget handled update keys and expired chat steps once they can no longer matter."""
    while True:
        try:
            await asyncio.to_thread(Dedupe(platform.db).purge)
            await asyncio.to_thread(ChatStates(platform.db).purge)
        except Exception as exc:  # the database may be briefly away; the next pass tries again
            log.warning("bots: dọn dữ liệu cũ thất bại: %s", exc)
        await asyncio.sleep(every)


async def shutdown_channel(channel: Channel) -> None:
    with contextlib.suppress(Exception):
        if isinstance(channel, telegram.TelegramChannel):
            await channel.bot.shutdown()
        elif isinstance(channel, zalo.ZaloChannel):
            await channel.api.close()


class BotHub:
    """The webhook side: what ``create_app`` starts for every configured channel. Retries of replies a
    channel could not take are the server's housekeeping (it drains the outbox every few seconds)."""

    def __init__(self, platform: Platform, runner: LoopThread | None = None) -> None:
        self.platform = platform
        self.runner = runner or LoopThread()
        self.runtimes: dict[str, BotRuntime] = {}
        self._background: list[asyncio.Task[None]] = []

    def runtime(self, name: str) -> BotRuntime | None:
        return self.runtimes.get(name)

    def secret(self, name: str) -> str:
        return bot_settings(self.platform.settings, name).webhook_secret.get_secret_value()

    async def start(self) -> None:
        register_deliverers(self.platform, self.runner)
        loop = asyncio.get_running_loop()
        for name in configured(self.platform.settings):
            channel = make_channel(self.platform.settings, name)
            if not await initialize_channel(channel):
                self._background.append(loop.create_task(keep_initializing(channel)))
            self.runtimes[name] = build_runtime(self.platform, channel)
        if self.runtimes:
            self._background.append(loop.create_task(purge_forever(self.platform)))

    def accept(self, name: str, payload: dict[str, Any]) -> bool:
        runtime = self.runtimes.get(name)
        if runtime is None:
            return False
        runtime.accept(payload)
        return True

    async def stop(self) -> None:
        for task in self._background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for runtime in self.runtimes.values():
            await runtime.drain()
            await shutdown_channel(runtime.channel)
        await asyncio.to_thread(self.runner.close)


async def refresh_forever(platform: Platform) -> None:
    """For a bot process without the server's housekeeping (polling mode): answer from documents curators
    ingest elsewhere, without a restart."""
    from assistant.housekeeping import refresh_index

    while True:
        await asyncio.sleep(platform.settings.index_refresh_seconds)
        try:
            await asyncio.to_thread(refresh_index, platform)
        except Exception as exc:  # the database may be briefly away; the next pass tries again
            log.warning("index refresh failed: %s", exc)


async def retry_forever(platform: Platform, every: float = RETRY_EVERY) -> None:
    """For a bot process without the server's housekeeping (polling mode)."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(platform.outbox.drain)
        except Exception as exc:  # the database may be briefly away; the next pass tries again
            log.warning("outbox pass failed: %s", exc)
