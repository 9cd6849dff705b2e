"""Zalo through the Zalo Bot Platform API: plain-text messages split at 2,000 characters; choices are
typed ("1", "2", "0", "đồng ý") because Zalo bots have no inline buttons."""

from __future__ import annotations

import logging
from typing import Any

from assistant.config import BotSettings
from assistant.outbox import DeliveryError, PermanentDeliveryError
from bots.channel import Block, Capabilities, IncomingMessage, OutgoingMessage, Part, render_blocks, utf16_len
from bots.texts import QUICK_REPLIES
from bots.zalo_api import ZaloApiError, ZaloBotApi

log = logging.getLogger(__name__)

NAME = "zalo"
LIMIT = 2000
CAPABILITIES = Capabilities(buttons=False, contact_button=False)
_UNSUPPORTED = {
    "message.image.received": "photo",
    "message.sticker.received": "sticker",
    "message.unsupported.received": "other",
}


def build_api(settings: BotSettings) -> ZaloBotApi:
    return ZaloBotApi(settings.api_base_url, settings.token.get_secret_value())


def markup(block: Block) -> str:
    if block.style == "quote":
        return f"“{block.text}”"
    return block.text


def _quick_replies(message: OutgoingMessage) -> Block | None:
    choices = [f"• Gõ “{b.typed}”: {b.label}" for row in message.buttons for b in row if b.typed]
    return Block("\n".join([QUICK_REPLIES, *choices])) if choices else None


def unwrap(update: dict[str, Any]) -> dict[str, Any]:
    """Webhook bodies come as ``{"ok": true, "result": {...}}``; getUpdates results are the inner object."""
    inner = update.get("result")
    return inner if isinstance(inner, dict) and "message" in inner else update


class ZaloChannel:
    name = NAME
    limit = LIMIT
    capabilities = CAPABILITIES

    def __init__(self, api: ZaloBotApi, bot_names: tuple[str, ...] = ()) -> None:
        self.api = api
        self.bot_names = tuple(name.lower() for name in bot_names if name)

    async def initialize(self) -> None:
        """Learn the bot's own names, to recognise a mention in a group."""
        me = await self.api.get_me()
        self.bot_names = tuple(str(me[key]).lower() for key in ("account_name", "display_name", "name") if me.get(key))

    # ---- in ------------------------------------------------------------------------------------------

    def parse(self, update: dict[str, Any]) -> IncomingMessage | None:
        event = unwrap(update)
        message = event.get("message")
        if not isinstance(message, dict):
            return None
        sender = message.get("from") or {}
        chat = message.get("chat") or {}
        if sender.get("is_bot") or not chat.get("id") or not message.get("message_id"):
            return None
        is_group = str(chat.get("chat_type", "PRIVATE")).upper() == "GROUP"
        text = message.get("text") or ""
        addressed = True
        if is_group:
            text, addressed = self._mentioned(text)
        unsupported = _UNSUPPORTED.get(str(event.get("event_name", "")), "")
        if not unsupported and not message.get("text"):
            unsupported = "other"
        return IncomingMessage(
            channel=NAME,
            update_key=str(message["message_id"]),
            chat_id=str(chat["id"]),
            user_id=str(sender.get("id") or chat["id"]),
            user_name=str(sender.get("display_name") or ""),
            text=text,
            message_id=str(message["message_id"]),
            is_group=is_group,
            addressed=addressed,
            unsupported=unsupported,
        )

    def _mentioned(self, text: str) -> tuple[str, bool]:
        lowered = text.lower()
        for name in self.bot_names:
            tag = f"@{name}"
            at = lowered.find(tag)
            if at >= 0:
                return " ".join((text[:at] + text[at + len(tag) :]).split()), True
        return text, False

    # ---- out -----------------------------------------------------------------------------------------

    def render(self, message: OutgoingMessage) -> list[Part]:
        blocks = list(message.blocks)
        quick = _quick_replies(message)
        if quick is not None:
            blocks.append(quick)
        return [Part(message.chat_id, chunk) for chunk in render_blocks(blocks, LIMIT, markup, utf16_len)]

    async def send_part(self, part: Part) -> None:
        try:
            await self.api.send_message(part.chat_id, part.text)
        except ZaloApiError as exc:
            if exc.retryable:
                raise DeliveryError(f"Không gửi được qua Zalo: {exc}") from exc
            raise PermanentDeliveryError(f"Zalo từ chối tin nhắn: {exc}") from exc

    async def typing(self, chat_id: str) -> None:
        try:
            await self.api.send_chat_action(chat_id, "typing")
        except ZaloApiError as exc:
            log.info("typing indicator not sent: %s", exc)

    async def acknowledge(self, incoming: IncomingMessage, note: str = "", clear_buttons: bool = False) -> None:
        """Zalo has no button callbacks: a typed choice is answered by the dialogue's own message."""
