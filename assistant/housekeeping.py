"""The server's background work, in one thread: deliver the outbox (at once when a reply is stored, and
every few seconds for retries), every ``index_refresh_seconds`` pick up corpus changes made by other processes,
and every ``cases.sweep_interval_seconds`` escalate overdue cases and purge conversations past the retention
period. Several workers may run it together: outbox claims and the cases'
optimistic locking keep them from doing anything twice."""

from __future__ import annotations

import logging
import threading
import time

from assistant.cases import sweep
from assistant.gc_tuning import refreeze
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
        self._refresher: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="congdoan-housekeeping", daemon=True)
        self._thread.start()
        # Its own thread: syncing a large new document (minutes of embedding) must not hold up deliveries.
        self._refresher = threading.Thread(target=self._refresh_loop, name="congdoan-index-refresh", daemon=True)
        self._refresher.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.platform.outbox.notify()
        for thread in (self._thread, self._refresher):
            if thread is not None:
                thread.join(timeout)

    def sweep_now(self) -> dict[str, int]:
        settings = self.platform.settings
        moved = sweep(self.platform.db, settings)
        with self.platform.db.session() as session:
            purged = purge_expired(session, settings)
        if moved or purged:
            log.info("Quét định kỳ: %d vụ việc chuyển cấp trên, %d cuộc hội thoại hết hạn lưu.", len(moved), purged)
        return {"escalated": len(moved), "purged": purged}

    def refresh_index(self) -> bool:
        return refresh_index(self.platform)

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self.platform.settings.index_refresh_seconds):
            try:
                self.refresh_index()
            except Exception:  # the database may be briefly unreachable; try again on the next tick
                log.exception("Lỗi khi cập nhật chỉ mục tìm kiếm")

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


def refresh_index(platform: Platform) -> bool:
    """Pick up documents a curator ingested or removed from another process or machine (once the index is
    loaded: a process that never searched has nothing to refresh)."""
    if "search" not in platform.__dict__:
        return False
    swapped = platform.search.refresh()
    if swapped:
        refreeze()
    return swapped


def start_housekeeping(platform: Platform) -> Housekeeper:
    """Called by the app's lifespan; also installs log masking before any request is logged."""
    from assistant.privacy import install_log_masking

    install_log_masking()
    housekeeper = Housekeeper(platform)
    housekeeper.start()
    return housekeeper
