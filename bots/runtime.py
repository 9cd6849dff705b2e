"""One update's way through a bot, the same for every channel and for webhook and polling modes:
parse → handled once → addressed to us? → within the rate limit? → typing → dialogue → outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from bots.channel import Channel, IncomingMessage
from bots.dedupe import Dedupe
from bots.delivery import Courier
from bots.dialogue import Dialogue, Reply, failure_message, rate_limited_message
from bots.ratelimit import RateLimiter

log = logging.getLogger(__name__)

TYPING_EVERY = 4.0  # seconds; Telegram shows "typing…" for about five


class BotRuntime:
    def __init__(
        self,
        channel: Channel,
        dialogue: Dialogue,
        dedupe: Dedupe,
        limiter: RateLimiter,
        courier: Courier,
    ) -> None:
        self.channel = channel
        self.dialogue = dialogue
        self.dedupe = dedupe
        self.limiter = limiter
        self.courier = courier
        self._tasks: set[asyncio.Task[None]] = set()

    # ---- webhook mode: accept now, answer in the background ------------------------------------------

    def accept(self, payload: dict[str, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self.handle_update(payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for updates still being answered (shutdown, tests)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    # ---- the pipeline --------------------------------------------------------------------------------

    async def handle_update(self, payload: dict[str, Any]) -> None:
        try:
            incoming = self.channel.parse(payload)
        except Exception as exc:  # a malformed update must not take the bot down
            log.warning("%s: update not understood: %s", self.channel.name, exc)
            return
        if incoming is not None:
            await self.handle(incoming)

    async def handle(self, incoming: IncomingMessage) -> None:
        name = self.channel.name
        if not await asyncio.to_thread(self.dedupe.first_time, name, incoming.update_key):
            log.info("%s: update %s already handled", name, incoming.update_key)
            return
        if not incoming.addressed:
            return
        verdict = await asyncio.to_thread(self.limiter.hit, f"{name}:{incoming.user_id}")
        if not verdict.allowed:
            if incoming.callback_id:
                await self.channel.acknowledge(incoming)
            if verdict.first_refusal:
                await self.courier.post([rate_limited_message(incoming.chat_id, verdict.retry_after)])
            return
        reply = await self._converse(incoming)
        if incoming.callback_id:
            await self.channel.acknowledge(incoming, reply.ack, reply.clear_buttons)
        await self.courier.post(reply.messages)

    async def _converse(self, incoming: IncomingMessage) -> Reply:
        typing = None
        if incoming.text and not incoming.callback_data:
            typing = asyncio.create_task(self._keep_typing(incoming.chat_id))
        try:
            return await asyncio.to_thread(self.dialogue.handle, incoming)
        except Exception:
            log.exception("%s: the dialogue failed on update %s", self.channel.name, incoming.update_key)
            return Reply([failure_message(incoming.chat_id)])
        finally:
            if typing is not None:
                typing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await typing

    async def _keep_typing(self, chat_id: str) -> None:
        while True:
            await self.channel.typing(chat_id)
            await asyncio.sleep(TYPING_EVERY)
