"""Cross-origin access for the member endpoints the widget calls from other sites' pages.

The widget is one ``<script>`` on any union website, so chat, feedback and "Gặp cán bộ công đoàn" are
called cross-origin. Those endpoints use no cookies, so they answer any origin; error responses carry the
headers too, or the page could not read the guidance in a 422. Officer and portal endpoints get nothing:
they rely on cookies and must stay same-origin.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_PATHS = re.compile(
    r"^/api/v1/(?:chat|chat/stream|feedback|cases|cases/by-conversation/[^/]+)/?$"
)
HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


def is_public(path: str) -> bool:
    return bool(PUBLIC_PATHS.match(path))


class PublicCORS:
    """Answers preflight requests and adds the headers to every response of the public member paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    headers[key] = value
            await send(message)

        await self.app(scope, receive, with_headers)
