"""Polling mode, for small deployments without a public HTTPS address: the bot asks the platform for updates
(getUpdates) instead of receiving webhooks. Replies still go through the outbox; this process retries them
itself, as it has no server housekeeping beside it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from bots import telegram, zalo
from bots.hub import (
    initialize_channel,
    purge_forever,
    refresh_forever,
    register_deliverers,
    retry_forever,
    shutdown_channel,
)
from bots.loop import LoopThread
from bots.runtime import BotRuntime
from bots.zalo_api import ZaloApiError

if TYPE_CHECKING:
    from assistant.platform import Platform

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30  # seconds a getUpdates call may wait for something to arrive
ERROR_PAUSE = (1.0, 30.0)  # first and longest pause after the platform's API failed


async def _until(stop: asyncio.Event, work: asyncio.Future[Any]) -> bool:
    """Wait for ``work`` or ``stop``; True when the work finished first."""
    stopper = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({work, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if work not in done:
        work.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await work
        return False
    return True


async def run_telegram(platform: Platform, stop: asyncio.Event, runner: LoopThread | None = None) -> None:
    from telegram import Update
    from telegram.ext import ContextTypes, TypeHandler

    from bots.hub import build_runtime

    runner = runner or LoopThread()
    register_deliverers(platform, runner)
    application = telegram.build_application(platform.settings.telegram, polling=True)
    channel = telegram.TelegramChannel(application.bot)
    runtime = build_runtime(platform, channel)

    async def on_update(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = channel.from_update(update)
        if incoming is not None:
            await runtime.handle(incoming)

    application.add_handler(TypeHandler(Update, on_update))
    await _initialize_with_retry(application, stop)
    if stop.is_set():
        return
    retry = asyncio.create_task(retry_forever(platform))
    purge = asyncio.create_task(purge_forever(platform))
    refresh = asyncio.create_task(refresh_forever(platform))
    try:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=["message", "callback_query"], bootstrap_retries=-1
        )
        log.info("Bot Telegram @%s đang nhận tin nhắn (polling).", application.bot.username)
        await stop.wait()
    finally:
        retry.cancel()
        purge.cancel()
        refresh.cancel()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        await asyncio.to_thread(runner.close)


async def _initialize_with_retry(application: Any, stop: asyncio.Event) -> None:
    pause = ERROR_PAUSE[0]
    while not stop.is_set():
        try:
            await application.initialize()
            return
        except Exception as exc:  # Telegram unreachable at start: keep trying, the bot is otherwise ready
            log.warning("Chưa kết nối được Telegram (%s); thử lại sau %.0f giây.", exc, pause)
            if await _until(stop, asyncio.ensure_future(asyncio.sleep(pause))):
                pause = min(pause * 2, ERROR_PAUSE[1])


async def run_zalo(platform: Platform, stop: asyncio.Event, runner: LoopThread | None = None) -> None:
    from bots.hub import build_runtime

    runner = runner or LoopThread()
    register_deliverers(platform, runner)
    channel = zalo.ZaloChannel(zalo.build_api(platform.settings.zalo))
    await initialize_channel(channel)
    runtime = build_runtime(platform, channel)
    retry = asyncio.create_task(retry_forever(platform))
    purge = asyncio.create_task(purge_forever(platform))
    refresh = asyncio.create_task(refresh_forever(platform))
    log.info("Bot Zalo đang nhận tin nhắn (polling).")
    try:
        await poll_zalo(channel, runtime, stop)
    finally:
        retry.cancel()
        purge.cancel()
        refresh.cancel()
        await shutdown_channel(channel)
        await asyncio.to_thread(runner.close)


async def poll_zalo(channel: zalo.ZaloChannel, runtime: BotRuntime, stop: asyncio.Event) -> None:
    """getUpdates in a loop. Zalo may hand back an update already seen; the runtime's dedupe drops it."""
    pause = ERROR_PAUSE[0]
    while not stop.is_set():
        work = asyncio.ensure_future(channel.api.get_updates(timeout=POLL_TIMEOUT))
        if not await _until(stop, work):
            return
        try:
            updates = work.result()
        except ZaloApiError as exc:
            if exc.status == 408:  # the long poll ended with nothing new
                continue
            log.warning("getUpdates của Zalo lỗi (%s); thử lại sau %.0f giây.", exc, pause)
            await _until(stop, asyncio.ensure_future(asyncio.sleep(pause)))
            pause = min(pause * 2, ERROR_PAUSE[1])
            continue
        pause = ERROR_PAUSE[0]
        for update in updates:
            await runtime.handle_update(update)
        if not channel.bot_names:
            await initialize_channel(channel)
