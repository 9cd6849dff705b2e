"""The server's background work, in one thread: deliver the outbox (at once when a reply is stored, and
every few seconds for retries), and every ``cases.sweep_interval_seconds`` escalate overdue cases and purge
conversations past the retention period. Several workers may run it together: outbox claims and the cases'
optimistic locking keep them from doing anything twice."""

from __future__ import annotations

import logging
import threading
import time

from assistant.cases import sweep
from assistant.platform import Platform
from assistant.privacy import purge_expired

log = logging.getLogger(__name__)


class Housekeeper:
    def __init__(self, platform: Platform, poll_seconds: float = 2.0) -> None:
        self.platform = platform
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_sweep = 0.0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="congdoan-housekeeping", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.platform.outbox.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    def sweep_now(self) -> dict[str, int]:
        settings = self.platform.settings
        moved = sweep(self.platform.db, settings)
        with self.platform.db.session() as session:
            purged = purge_expired(session, settings)
        if moved or purged:
            log.info("Quét định kỳ: %d vụ việc chuyển cấp trên, %d cuộc hội thoại hết hạn lưu.", len(moved), purged)
        return {"escalated": len(moved), "purged": purged}

    def _run(self) -> None:
        outbox = self.platform.outbox
        while not self._stop.is_set():
            # Cleared before draining: a reply stored during the drain wakes the next round at once.
            outbox.wakeup.clear()
            try:
                outbox.drain()
                if time.monotonic() >= self._next_sweep:
                    self._next_sweep = time.monotonic() + self.platform.settings.cases.sweep_interval_seconds
                    self.sweep_now()
            except Exception:  # the database may be briefly unreachable; try again on the next tick
                log.exception("Lỗi khi chạy tác vụ nền")
            outbox.wakeup.wait(self.poll_seconds)


def start_housekeeping(platform: Platform) -> Housekeeper:
    """Called by the app's lifespan; also installs log masking before any request is logged."""
    from assistant.privacy import install_log_masking

    install_log_masking()
    housekeeper = Housekeeper(platform)
    housekeeper.start()
    return housekeeper
