"""Telegram through python-telegram-bot 22: updates in, HTML messages out, split at 4,096 characters.

The SDK talks to ``settings.telegram.api_base_url`` (``https://api.telegram.org/bot`` by default), so a proxy
or the tests' fake Bot API can stand in for Telegram without changing any code.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatAction, MessageEntityType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder

from assistant.config import BotSettings
from assistant.outbox import DeliveryError, PermanentDeliveryError
from bots.channel import Block, Capabilities, IncomingMessage, OutgoingMessage, Part, render_blocks, utf16_len
from bots.texts import LINK_BUTTON

log = logging.getLogger(__name__)

NAME = "telegram"
LIMIT = 4096
CAPABILITIES = Capabilities(buttons=True, contact_button=True)
GROUPS = ("group", "supergroup")
_UNSUPPORTED = (
    "photo",
    "sticker",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "location",
    "venue",
    "poll",
    "dice",
)


def file_base_url(api_base_url: str) -> str:
    """Telegram serves files under /file/bot<token>; follow the configured API prefix."""
    stem = api_base_url.rstrip("/")
    return stem[: -len("/bot")] + "/file/bot" if stem.endswith("/bot") else stem + "/file/bot"


def build_bot(settings: BotSettings) -> Bot:
    return Bot(
        settings.token.get_secret_value(),
        base_url=settings.api_base_url,
        base_file_url=file_base_url(settings.api_base_url),
    )


def build_application(settings: BotSettings, *, polling: bool) -> Application[Any, Any, Any, Any, Any, Any]:
    builder = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.api_base_url)
        .base_file_url(file_base_url(settings.api_base_url))
        .concurrent_updates(True)
    )
    if not polling:
        builder = builder.updater(None)
    return builder.build()


def markup(block: Block) -> str:
    text = html.escape(block.text, quote=False)
    if block.style == "bold":
        return f"<b>{text}</b>"
    if block.style == "italic":
        return f"<i>{text}</i>"
    if block.style == "quote":
        return f"<blockquote>{text}</blockquote>"
    return text


def _keyboard(message: OutgoingMessage) -> Any:
    if message.buttons:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in message.buttons]
        )
    if message.request_contact:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(LINK_BUTTON, request_contact=True)]],
            one_time_keyboard=True,
            resize_keyboard=True,
        )
    if message.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


class TelegramChannel:
    name = NAME
    limit = LIMIT
    capabilities = CAPABILITIES

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @property
    def username(self) -> str:
        try:
            return (self.bot.username or "").lower()
        except RuntimeError:  # not initialised (getMe not called yet)
            return ""

    # ---- in ------------------------------------------------------------------------------------------

    def parse(self, update: dict[str, Any]) -> IncomingMessage | None:
        return self.from_update(Update.de_json(update, self.bot))

    def from_update(self, update: Update) -> IncomingMessage | None:
        if update.callback_query is not None:
            return self._callback(update)
        message = update.message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return None  # edits, channel posts, service messages: nothing to answer
        chat = message.chat
        is_group = chat.type in GROUPS
        text, addressed = self._addressed_text(message) if is_group else (message.text or "", True)
        contact_phone, unsupported = "", ""
        if message.contact is not None:
            own = message.contact.user_id == message.from_user.id
            contact_phone, unsupported = (message.contact.phone_number, "") if own else ("", "contact")
        elif message.text is None:
            unsupported = next((kind for kind in _UNSUPPORTED if getattr(message, kind, None)), "other")
        return IncomingMessage(
            channel=NAME,
            update_key=str(update.update_id),
            chat_id=str(chat.id),
            user_id=str(message.from_user.id),
            user_name=message.from_user.first_name or "",
            text=text,
            message_id=str(message.message_id),
            is_group=is_group,
            addressed=addressed,
            contact_phone=contact_phone,
            unsupported=unsupported,
        )

    def _callback(self, update: Update) -> IncomingMessage | None:
        query = update.callback_query
        assert query is not None
        message = query.message
        if message is None:
            return None
        return IncomingMessage(
            channel=NAME,
            update_key=str(update.update_id),
            chat_id=str(message.chat.id),
            user_id=str(query.from_user.id),
            user_name=query.from_user.first_name or "",
            message_id=str(message.message_id),
            is_group=message.chat.type in GROUPS,
            callback_data=query.data or "",
            callback_id=query.id,
        )

    def _addressed_text(self, message: Message) -> tuple[str, bool]:
        """In a group: is the bot mentioned (by @username, in a /command@username, or by a reply to it)?
        The mention itself is taken out of the question."""
        text = message.text or message.caption or ""
        me = self.username
        reply = message.reply_to_message
        addressed = bool(reply and reply.from_user and reply.from_user.id == self.bot.id)
        for entity in message.entities or ():
            value = text[entity.offset : entity.offset + entity.length]
            if (
                (entity.type == MessageEntityType.MENTION and value.lower() == f"@{me}")
                or (entity.type == MessageEntityType.BOT_COMMAND and value.lower().endswith(f"@{me}"))
            ) or (entity.type == MessageEntityType.TEXT_MENTION and entity.user and entity.user.id == self.bot.id):
                addressed = True
        if me:
            text = " ".join(word for word in text.split() if word.lower() != f"@{me}")
        return text, addressed

    # ---- out -----------------------------------------------------------------------------------------

    def render(self, message: OutgoingMessage) -> list[Part]:
        chunks = render_blocks(message.blocks, LIMIT, markup, utf16_len)
        keyboard = _keyboard(message)
        return [
            Part(message.chat_id, chunk, keyboard if n == len(chunks) - 1 else None) for n, chunk in enumerate(chunks)
        ]

    async def send_part(self, part: Part) -> None:
        try:
            await self.bot.send_message(
                chat_id=part.chat_id,
                text=part.text,
                parse_mode=ParseMode.HTML,
                reply_markup=part.markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except (Forbidden, BadRequest) as exc:  # blocked by the person, chat gone, message refused
            raise PermanentDeliveryError(f"Telegram từ chối tin nhắn: {exc.message}") from exc
        except TelegramError as exc:  # network, timeout, 5xx, flood control: try again later
            raise DeliveryError(f"Không gửi được qua Telegram: {exc.message}") from exc

    async def typing(self, chat_id: str) -> None:
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except TelegramError as exc:
            log.info("typing indicator not sent: %s", exc)

    async def acknowledge(self, incoming: IncomingMessage, note: str = "", clear_buttons: bool = False) -> None:
        try:
            await self.bot.answer_callback_query(incoming.callback_id, text=note or None)
            if clear_buttons and incoming.message_id:
                await self.bot.edit_message_reply_markup(
                    chat_id=incoming.chat_id, message_id=int(incoming.message_id), reply_markup=None
                )
        except TelegramError as exc:
            log.info("callback not acknowledged: %s", exc)
