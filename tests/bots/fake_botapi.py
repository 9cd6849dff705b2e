"""A real HTTP server on loopback that plays a Bot API (``/bot<token>/<method>``) and records every request.

``FakeTelegram`` and ``FakeZalo`` fill in the methods. The server can be switched ``down`` (HTTP 502),
``drop`` (the connection closes without an answer) or ``up``; ``fail_after`` lets a number of sends through
and then fails, to test a reply that breaks off halfway. Updates are pushed to the registered webhook (with
its secret header) or queued for getUpdates.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

Result = tuple[int, dict[str, Any]]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 0
    at: float = field(default_factory=time.monotonic)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer (a bot stopping its long poll) is not an error here."""


class FakeBotApi:
    token = "123456:TEST-token"
    secret_header = ""
    json_fields: tuple[str, ...] = ()
    poll_cap = 0.5  # a long poll waits at most this long, so a stopping bot is not held up

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.mode = "up"
        self.fail_after: int | None = None
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_statuses: list[int] = []
        self.pending: list[dict[str, Any]] = []
        self._lock = threading.Condition()
        self._next_message_id = 1000
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ---- lifecycle ----------------------------------------------------------------------------------

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        """What CONGDOAN_<CHANNEL>__API_BASE_URL is set to: the prefix before the token."""
        return f"{self.url}/bot"

    # ---- what tests look at -------------------------------------------------------------------------

    def sent(self, method: str = "sendMessage") -> list[Call]:
        """Calls of ``method`` that succeeded (HTTP 200)."""
        with self._lock:
            return [c for c in self.calls if c.method == method and c.status == 200]

    def attempts(self, method: str = "sendMessage") -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {[(c.method, c.status) for c in self.calls]}")
            time.sleep(0.02)

    def wait_sent(self, count: int = 1, method: str = "sendMessage", timeout: float = 20.0) -> list[Call]:
        self.wait_for(lambda: len(self.sent(method)) >= count, timeout)
        return self.sent(method)

    # ---- updates ------------------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Deliver an update as the platform does: to the webhook when one is set, else via getUpdates."""
        if self.webhook_url:
            headers = {self.secret_header: self.webhook_secret} if self.webhook_secret else {}
            status = httpx.post(
                self.webhook_url, json=self.webhook_body(update), headers=headers, timeout=10
            ).status_code
            self.webhook_statuses.append(status)
            return status
        with self._lock:
            self.pending.append(update)
            self._lock.notify_all()
        return 0

    def webhook_body(self, update: dict[str, Any]) -> dict[str, Any]:
        return update

    def take_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _wait_for_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        timeout = min(float(params.get("timeout") or 0), self.poll_cap)
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                updates = self.take_updates(params)
                remaining = deadline - time.monotonic()
                if updates or remaining <= 0:
                    return updates
                self._lock.wait(remaining)

    # ---- the API ------------------------------------------------------------------------------------

    def next_message_id(self) -> int:
        with self._lock:
            self._next_message_id += 1
            return self._next_message_id

    def handle(self, method: str, params: dict[str, Any]) -> Result:
        raise NotImplementedError

    def _dispatch(self, method: str, params: dict[str, Any]) -> Result:
        if self.mode == "down":
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method.startswith("send") and method != "sendChatAction" and self.fail_after is not None:
            if self.fail_after <= 0:
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            self.fail_after -= 1
        return self.handle(method, params)

    def _parse(self, raw: bytes, content_type: str) -> dict[str, Any]:
        if not raw:
            return {}
        if content_type.startswith("application/json"):
            data = json.loads(raw)
            return data if isinstance(data, dict) else {}
        params: dict[str, Any] = dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
        for key in self.json_fields:
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                prefix = f"/bot{fake.token}/"
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if fake.mode == "drop":
                    self.close_connection = True
                    return
                if not self.path.startswith(prefix):
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"}, "")
                    return
                method = self.path[len(prefix) :].split("?", 1)[0]
                params = fake._parse(raw, self.headers.get("Content-Type", ""))
                call = Call(method, params)
                with fake._lock:
                    fake.calls.append(call)
                if method == "getUpdates" and fake.mode == "up":
                    status, body = 200, {"ok": True, "result": fake._wait_for_updates(params)}
                    body = fake.updates_body(body["result"])
                else:
                    status, body = fake._dispatch(method, params)
                call.status = status
                self._reply(status, body, method)

            def _reply(self, status: int, body: dict[str, Any], _method: str) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def updates_body(self, updates: list[dict[str, Any]]) -> dict[str, Any]:
        return {"ok": True, "result": updates}
