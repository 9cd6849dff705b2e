"""A channel API on loopback for delivery tests, and a deliverer that talks to it over HTTP."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from assistant.outbox import Delivery, DeliveryError, PermanentDeliveryError


class FakeChannel(ThreadingHTTPServer):
    """A channel API on loopback: answers 503 while ``down``, records every message it accepts."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.down = True
        self.accepted: list[dict[str, Any]] = []
        self.refused = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sendMessage"


class _Handler(BaseHTTPRequestHandler):
    server: FakeChannel

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            if self.server.down:
                self.server.refused += 1
                self.send_response(503)
            else:
                self.server.accepted.append(body)
                self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


class HttpDeliverer:
    """A channel deliverer as the bots write them: one HTTP call, failures raised."""

    def __init__(self, url: str) -> None:
        self.url = url

    def deliver(self, delivery: Delivery) -> None:
        try:
            response = httpx.post(
                self.url,
                json={"chat_id": delivery.recipient, "text": delivery.text, "key": delivery.id},
                timeout=5,
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(str(exc)) from exc
        if response.status_code == 403:
            raise PermanentDeliveryError("bị chặn")
        if response.status_code != 200:
            raise DeliveryError(f"HTTP {response.status_code}")
