"""A per-person rate limit: in Redis when ``CONGDOAN_REDIS_URL`` is set (shared by every worker), else in
process. Fixed windows keep it to one atomic INCR per message.

The verdict says whether this is the first refusal in the window, so the person is told politely once,
not once per message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    first_refusal: bool = False
    retry_after: int = 0  # seconds until the window ends


class RateLimiter(Protocol):
    def hit(self, key: str) -> Verdict: ...


def _verdict(count: int, limit: int, retry_after: int) -> Verdict:
    if count <= limit:
        return Verdict(True)
    return Verdict(False, first_refusal=count == limit + 1, retry_after=retry_after)


class MemoryRateLimiter:
    def __init__(self, limit: int = 10, window: int = 60, clock: Callable[[], float] = time.time) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> Verdict:
        now = self.clock()
        slot = int(now // self.window)
        with self._lock:
            if len(self._counts) > 100_000:  # drop windows that have ended; keeps memory bounded
                self._counts = {k: v for k, v in self._counts.items() if v[0] == slot}
            current_slot, count = self._counts.get(key, (slot, 0))
            count = count + 1 if current_slot == slot else 1
            self._counts[key] = (slot, count)
        return _verdict(count, self.limit, int((slot + 1) * self.window - now) + 1)


class RedisRateLimiter:
    """Counts in Redis; if Redis is unreachable the message is let through (availability over strictness)."""

    def __init__(self, client: Any, limit: int = 10, window: int = 60, prefix: str = "congdoan:rl") -> None:
        self.client, self.limit, self.window, self.prefix = client, limit, window, prefix

    def hit(self, key: str) -> Verdict:
        now = time.time()
        slot = int(now // self.window)
        name = f"{self.prefix}:{key}:{slot}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, self.window + 1)
            count = int(pipe.execute()[0])
        except Exception as exc:  # redis.RedisError and connection failures alike
            log.warning("Không đếm được giới hạn tần suất trong Redis (%s); cho phép tin nhắn.", exc)
            return Verdict(True)
        return _verdict(count, self.limit, int((slot + 1) * self.window - now) + 1)


def build_rate_limiter(redis_url: str, limit: int = 10, window: int = 60) -> RateLimiter:
    if not redis_url:
        return MemoryRateLimiter(limit, window)
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
    return RedisRateLimiter(client, limit, window)
