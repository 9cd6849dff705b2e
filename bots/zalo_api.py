"""A thin, typed, async client for the Zalo Bot Platform API (``<base>/bot<token>/<method>``, JSON in,
``{"ok": ..., "result": ...}`` out), the same shape as Telegram's Bot API.

Why not the ``python-zalo-bot`` SDK (0.1.9): it appends ``/bot<token>`` to a host rather than taking the
``<base>/bot`` prefix every other setting here uses; its ``set_webhook`` calls ``asyncio.run`` and so
cannot be used inside a running server; it ships no type information; and it parses one update per
getUpdates call with no way to see the raw payload. The five methods the bot needs fit in this file.
"""

from __future__ import annotations

from typing import Any

import httpx


class ZaloApiError(Exception):
    def __init__(self, message: str, *, retryable: bool, status: int = 0) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class ZaloBotApi:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        self.url = f"{base_url.rstrip('/')}{token}" if "{token}" not in base_url else base_url.format(token=token)
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def call(self, method: str, payload: dict[str, Any] | None = None, *, timeout: float | None = None) -> Any:
        try:
            response = await self.client.post(
                f"{self.url}/{method}", json=payload or {}, timeout=timeout or self.timeout
            )
        except httpx.HTTPError as exc:
            raise ZaloApiError(f"{method}: {exc.__class__.__name__}: {exc}", retryable=True) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code < 400 and isinstance(body, dict) and body.get("ok"):
            return body.get("result")
        code = int(body.get("error_code") or response.status_code) if isinstance(body, dict) else response.status_code
        description = str(body.get("description", "")) if isinstance(body, dict) else ""
        # A refused message (400) or a person who blocked the bot (403) will never go through; anything
        # else (a wrong token being fixed, rate limits, server errors) may, later.
        raise ZaloApiError(
            f"{method}: HTTP {response.status_code} {description}".strip(),
            retryable=code not in (400, 403),
            status=code,
        )

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout: int = 30) -> list[dict[str, Any]]:
        """Zalo answers one update (or nothing) per call; a list is accepted too."""
        result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + self.timeout)
        if isinstance(result, list):
            return [item for item in result if isinstance(item, dict)]
        return [result] if isinstance(result, dict) and result else []

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return result if isinstance(result, dict) else {}

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")
