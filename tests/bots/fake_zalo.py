"""A fake Zalo Bot Platform API on loopback: getMe, sendMessage (at most 2,000 characters), sendChatAction,
setWebhook with a secret token, and getUpdates, which hands out one update per call and, like the real one,
may hand the same update out again."""

from __future__ import annotations

import time
from typing import Any

from tests.bots.fake_botapi import FakeBotApi, Result

LIMIT = 2000


class FakeZalo(FakeBotApi):
    secret_header = "X-Bot-Api-Secret-Token"

    def __init__(self) -> None:
        super().__init__()
        self.redeliver = 0  # how many times the next update handed out is handed out again
        self._last: dict[str, Any] | None = None
        self._message = 0

    def message(
        self,
        text: str | None,
        *,
        user_id: str = "zu1",
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        event: str = "message.text.received",
    ) -> dict[str, Any]:
        self._message += 1
        message: dict[str, Any] = {
            "message_id": f"zm{self._message}-{time.monotonic_ns()}",
            "date": int(time.time() * 1000),
            "chat": {"id": chat_id or user_id, "chat_type": chat_type},
            "from": {"id": user_id, "display_name": "Lan", "is_bot": False},
            "message_type": "CHAT_MESSAGE",
        }
        if text is not None:
            message["text"] = text
        return {"event_name": event, "message": message}

    def webhook_body(self, update: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "result": update}

    def take_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.redeliver and self._last is not None:
            self.redeliver -= 1
            return [self._last]
        if not self.pending:
            return []
        self._last = self.pending.pop(0)
        return [self._last]

    def updates_body(self, updates: list[dict[str, Any]]) -> dict[str, Any]:
        if not updates:
            return {"ok": False, "error_code": 408, "description": "Request timeout"}
        return {"ok": True, "result": updates[0]}

    def handle(self, method: str, params: dict[str, Any]) -> Result:
        if method == "getMe":
            return 200, {
                "ok": True,
                "result": {
                    "id": "zbot1",
                    "account_name": "bot.congdoan",
                    "display_name": "Trợ lý Công đoàn",
                    "account_type": "BASIC",
                    "can_join_groups": True,
                },
            }
        if method == "sendMessage":
            text = str(params.get("text", ""))
            if not text.strip() or len(text) > LIMIT or not params.get("chat_id"):
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid text"}
            return 200, {
                "ok": True,
                "result": {"message_id": f"bm{self.next_message_id()}", "date": int(time.time() * 1000)},
            }
        if method == "sendChatAction":
            return 200, {"ok": True, "result": True}
        if method == "setWebhook":
            self.webhook_url = str(params.get("url", ""))
            self.webhook_secret = str(params.get("secret_token", ""))
            return 200, {
                "ok": True,
                "result": {"url": self.webhook_url, "updated_at": int(time.time() * 1000)},
            }
        if method == "deleteWebhook":
            self.webhook_url = self.webhook_secret = ""
            return 200, {"ok": True, "result": True}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
