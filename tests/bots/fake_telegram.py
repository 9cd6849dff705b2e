"""A fake Telegram Bot API on loopback: the methods the bot uses, with Telegram's own checks on HTML
markup and message length, so a badly escaped or oversized message fails here as it would in production."""

from __future__ import annotations

import html
import re
import time
from typing import Any

from tests.bots.fake_botapi import FakeBotApi, Result

BOT_ID = 999000
BOT_USERNAME = "congdoan_test_bot"
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([a-z-]+)(?:\s[^<>]*)?>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class BadMarkup(ValueError):
    pass


def visible_text(text: str) -> str:
    """The text as Telegram shows it; raises BadMarkup where Telegram answers "can't parse entities"."""
    stack: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = _TAG.match(text, i)
            if match is None or match.group(2) not in ALLOWED_TAGS:
                raise BadMarkup(f"unsupported start tag at byte offset {i}")
            if match.group(1):
                if not stack or stack.pop() != match.group(2):
                    raise BadMarkup(f"unmatched end tag at byte offset {i}")
            else:
                stack.append(match.group(2))
            i = match.end()
        elif ch == ">":
            raise BadMarkup(f"unescaped '>' at offset {i}")
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise BadMarkup(f"unescaped '&' at offset {i}")
            out.append(html.unescape(match.group()))
            i = match.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise BadMarkup(f"unclosed tag {stack[-1]}")
    return "".join(out)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram(FakeBotApi):
    secret_header = "X-Telegram-Bot-Api-Secret-Token"
    json_fields = ("reply_markup", "allowed_updates", "link_preview_options", "entities")

    def __init__(self) -> None:
        super().__init__()
        self._update_id = 500

    # ---- updates the tests send ---------------------------------------------------------------------

    def new_update_id(self) -> int:
        self._update_id += 1
        return self._update_id

    def message(
        self,
        text: str | None,
        *,
        chat_id: int = 111,
        user_id: int = 111,
        chat_type: str = "private",
        update_id: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Tổ sản xuất 3"
        message: dict[str, Any] = {
            "message_id": self.next_message_id(),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": update_id or self.new_update_id(), "message": message}

    def mention(self, question: str, **kwargs: Any) -> dict[str, Any]:
        tag = f"@{BOT_USERNAME}"
        update = self.message(f"{tag} {question}", **kwargs)
        update["message"]["entities"] = [{"type": "mention", "offset": 0, "length": len(tag)}]
        return update

    def callback(self, data: str, *, message_id: int, chat_id: int = 111, user_id: int = 111) -> dict[str, Any]:
        return {
            "update_id": self.new_update_id(),
            "callback_query": {
                "id": f"cb{self._update_id}",
                "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
                "chat_instance": "ci1",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý"},
                    "text": "…",
                },
            },
        }

    def contact(self, phone: str, *, owner_id: int = 111, chat_id: int = 111, user_id: int = 111) -> dict[str, Any]:
        contact = {"phone_number": phone, "first_name": "Lan", "user_id": owner_id}
        return self.message(None, chat_id=chat_id, user_id=user_id, contact=contact)

    # ---- the API ------------------------------------------------------------------------------------

    def take_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self.pending = [u for u in self.pending if u["update_id"] >= offset]
        return list(self.pending)

    def handle(self, method: str, params: dict[str, Any]) -> Result:
        if method == "getMe":
            return 200, {
                "ok": True,
                "result": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Trợ lý Công đoàn",
                    "username": BOT_USERNAME,
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                },
            }
        if method == "sendMessage":
            return self._send_message(params)
        if method in ("sendChatAction", "answerCallbackQuery", "deleteWebhook", "editMessageReplyMarkup"):
            if method == "deleteWebhook":
                self.webhook_url = self.webhook_secret = ""
            return 200, {"ok": True, "result": True}
        if method == "setWebhook":
            self.webhook_url = str(params.get("url", ""))
            self.webhook_secret = str(params.get("secret_token", ""))
            return 200, {"ok": True, "result": True}
        if method == "getWebhookInfo":
            return 200, {
                "ok": True,
                "result": {
                    "url": self.webhook_url,
                    "has_custom_certificate": False,
                    "pending_update_count": len(self.pending),
                },
            }
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def _send_message(self, params: dict[str, Any]) -> Result:
        text = str(params.get("text", ""))
        try:
            shown = visible_text(text) if params.get("parse_mode") == "HTML" else text
        except BadMarkup as exc:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": f"Bad Request: can't parse entities: {exc}",
            }
        if not shown.strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        if utf16(shown) > 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
        chat_id = int(params["chat_id"])
        return 200, {
            "ok": True,
            "result": {
                "message_id": self.next_message_id(),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Trợ lý Công đoàn",
                    "username": BOT_USERNAME,
                },
                "text": shown,
            },
        }
