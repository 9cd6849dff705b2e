"""The officers' case queue at scale: 100,000 cases in PostgreSQL across a union tree shaped like Vietnam's
(1 Tổng Liên đoàn, 83 provinces and central sectors, 664 district-level unions, 9,960 grassroots unions),
and the time to serve one page of the queue to officers at every level.

Runs in a temporary database on 127.0.0.1:5432 (``CONGDOAN_BENCH_PG_URL`` to point elsewhere) that it
creates and drops. ``run(report)`` adds its figures under ``report["cases"]``.
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from assistant.access import reach_of
from assistant.cases import UNFINISHED, CaseFilter, list_cases
from assistant.config import Settings
from assistant.db.base import utcnow
from assistant.db.cases import Case
from assistant.db.engine import Database
from assistant.db.migrate import upgrade
from assistant.db.union import LEVELS, StaffUser, Unit
from assistant.units import UnitRow, import_units

PG_ADMIN = os.environ.get("CONGDOAN_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CASES = 100_000
PROVINCES, DISTRICTS, GRASSROOTS = 83, 8, 15
PAGE_SIZE = 25
ROUNDS = 60
CATEGORIES = ["tien_luong", "cham_dut_hop_dong", "bao_hiem_xa_hoi", "ky_luat", "an_toan_lao_dong", "quay_roi", "khac"]
STATUS_WEIGHTS = {"resolved": 55, "closed": 10, "open": 12, "assigned": 10, "waiting_member": 6, "answered": 7}


@contextmanager
def temporary_database() -> Iterator[str]:
    import psycopg

    name = f"congdoan_bench_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def unit_rows() -> list[UnitRow]:
    rows = [UnitRow("TLD", "Tổng Liên đoàn Lao động Việt Nam", "tong", "")]
    for p in range(PROVINCES):
        province = f"T{p:02d}"
        rows.append(UnitRow(province, f"LĐLĐ / Công đoàn ngành {p}", "tinh_nganh", "TLD"))
        for d in range(DISTRICTS):
            district = f"{province}-H{d}"
            rows.append(UnitRow(district, f"Công đoàn cấp trên cơ sở {district}", "cap_tren_co_so", province))
            rows.extend(
                UnitRow(f"{district}-C{g:02d}", f"Công đoàn cơ sở {district}-{g}", "co_so", district)
                for g in range(GRASSROOTS)
            )
    return rows


def seed(db: Database, rng: random.Random, now: datetime) -> dict[str, list[int]]:
    """The tree and 100,000 cases: big grassroots unions get more cases (Zipf-like), a few escalated ones sit
    higher up, most cases are finished, and the open ones have deadlines around now."""
    with db.session() as session:
        import_units(session, unit_rows())
    with db.session() as session:
        by_level: dict[str, list[int]] = {}
        for found_id, found_level in session.execute(select(Unit.id, Unit.level)).all():
            by_level.setdefault(found_level, []).append(found_id)
    grassroots = by_level["co_so"]
    rng.shuffle(grassroots)
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(grassroots))))
    higher = {"cap_tren_co_so": 0.05, "tinh_nganh": 0.01, "tong": 0.002}
    statuses, status_weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    batch: list[dict[str, Any]] = []
    with db.engine.begin() as conn:
        for _ in range(CASES):
            roll, level = rng.random(), 0
            unit_id = rng.choices(grassroots, cum_weights=cumulative)[0]
            for step, share in enumerate(higher.values(), start=1):
                if roll < share:  # a case that has already climbed this many levels
                    unit_id, level = rng.choice(by_level[LEVELS[3 - step]]), step
            created = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            status = rng.choices(statuses, status_weights)[0]
            batch.append(
                {
                    "id": uuid.uuid4().hex,
                    "kind": "case" if rng.random() < 0.85 else "opinion",
                    "category": rng.choice(CATEGORIES),
                    "priority": rng.choice(["urgent", "high", "normal", "normal"]),
                    "status": status,
                    "unit_id": unit_id,
                    "channel": rng.choice(["web", "zalo", "zalo", "telegram"]),
                    "channel_user_id": "",
                    "subject": "Đoàn viên cần hỗ trợ về quyền lợi",
                    "description": "",
                    "opened_by": "member",
                    "escalation_level": level,
                    "due_at": now + timedelta(hours=rng.randint(-240, 168)) if status in UNFINISHED else None,
                    "created_at": created,
                    "updated_at": created,
                    "resolution_note": "",
                    "version": 1,
                }
            )
            if len(batch) == 5000:
                conn.execute(insert(Case), batch)
                batch.clear()
        if batch:
            conn.execute(insert(Case), batch)
        conn.execute(text("ANALYZE"))
    return by_level


def officers(db: Database, by_level: dict[str, list[int]], rng: random.Random) -> dict[str, list[int]]:
    """Staff at every level: 20 grassroots, 10 district, 5 provincial officers and one at the top."""
    picks = {"co_so": 20, "cap_tren_co_so": 10, "tinh_nganh": 5, "tong": 1}
    ids: dict[str, list[int]] = {}
    with db.session() as session:
        for level, count in picks.items():
            for unit_id in rng.sample(by_level[level], count):
                staff = StaffUser(username=f"bench-{unit_id}", password_hash="x", role="officer", unit_id=unit_id)
                session.add(staff)
                session.flush()
                ids.setdefault(level, []).append(staff.id)
    return ids


def one_page(db: Database, staff_id: int, filters: CaseFilter) -> float:
    """What ``GET /api/v1/cases`` does for one request: find the signed-in staff member, then one page."""
    from api.routes.cases import case_summary

    start = time.perf_counter()
    with db.session() as session:
        staff = session.get(StaffUser, staff_id)
        assert staff is not None
        reach = reach_of(staff)
        now = utcnow()
        page = list_cases(session, reach, filters, page=1, page_size=PAGE_SIZE, now=now)
        [case_summary(case, now) for case in page.items]
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(report: dict[str, Any]) -> None:
    rng = random.Random(20261128)
    with temporary_database() as url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), database_url=url)  # type: ignore[call-arg]
        upgrade(settings)
        db = Database(settings)
        try:
            start = time.perf_counter()
            by_level = seed(db, rng, utcnow())
            seed_seconds = time.perf_counter() - start
            staff = officers(db, by_level, rng)
            variants = [
                CaseFilter(),
                CaseFilter(overdue=True),
                CaseFilter(category="tien_luong"),
                CaseFilter(status="all"),
            ]
            for staff_id in staff["co_so"][:3]:  # warm the pool and the caches
                one_page(db, staff_id, CaseFilter())
            timings: dict[str, list[float]] = {level: [] for level in staff}
            for _ in range(ROUNDS):
                for level, ids in staff.items():
                    timings[level].append(one_page(db, rng.choice(ids), rng.choice(variants)))
            with db.session() as session:
                units = session.scalar(select(text("count(*)")).select_from(Unit)) or 0
        finally:
            db.dispose()
    everything = [t for values in timings.values() for t in values]
    figures: dict[str, Any] = {
        "cases": CASES,
        "units": units,
        "page_size": PAGE_SIZE,
        "requests": len(everything),
        "p50_ms": round(statistics.median(everything), 2),
        "p95_ms": round(percentile(everything, 0.95), 2),
        "target_p95_ms": 50,
        "seed_seconds": round(seed_seconds, 1),
    }
    for level, values in timings.items():
        figures[f"p95_ms_{level}"] = round(percentile(values, 0.95), 2)
    report["cases"] = figures


if __name__ == "__main__":
    import json

    result: dict[str, Any] = {}
    run(result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
