"""The union tree: importing units from CSV, keeping each unit's materialised path in step with its parent."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from assistant.db.union import LEVELS, Unit, UnitTree

LEVEL_LABELS = {
    "tong": "Tổng Liên đoàn Lao động Việt Nam",
    "tinh_nganh": "LĐLĐ tỉnh, thành phố / Công đoàn ngành trung ương",
    "cap_tren_co_so": "Công đoàn cấp trên trực tiếp cơ sở",
    "co_so": "Công đoàn cơ sở",
}
UNIT_COLUMNS = ("code", "name", "level", "parent_code")


class UnitError(ValueError):
    """A unit file or a unit change that cannot be applied; the message says which row and why."""


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


def read_csv_rows(path: Path, columns: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV (BOM allowed) with the required columns, values stripped."""
    needed = list(columns)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in needed if c not in (reader.fieldnames or [])]
            if missing:
                raise UnitError(f"{path.name}: thiếu cột {', '.join(missing)} (cần: {', '.join(needed)})")
            return [{k: (row.get(k) or "").strip() for k in needed} for row in reader]
    except UnicodeDecodeError as exc:
        raise UnitError(f"{path.name}: tệp không phải UTF-8 ({exc.reason})") from exc


def read_units_csv(path: Path) -> list[UnitRow]:
    rows = [UnitRow(**row) for row in read_csv_rows(path, UNIT_COLUMNS)]
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not row.code or not row.name:
            raise UnitError(f"dòng {number}: thiếu mã hoặc tên đơn vị")
        if row.level not in LEVELS:
            raise UnitError(f"dòng {number}: cấp '{row.level}' không hợp lệ (một trong: {', '.join(LEVELS)})")
        if row.code in seen:
            raise UnitError(f"dòng {number}: mã đơn vị '{row.code}' bị lặp")
        seen.add(row.code)
    return rows


def import_units(session: Session, rows: list[UnitRow], progress: Callable[[int], None] | None = None) -> ImportResult:
    """Create or update units by code, then re-derive every path. Parents may come later in the file."""
    result = ImportResult()
    by_code = {u.code: u for u in session.scalars(select(Unit))}
    for row in rows:
        unit = by_code.get(row.code)
        if unit is None:
            unit = Unit(code=row.code, name=row.name, level=row.level, path="")
            session.add(unit)
            by_code[row.code] = unit
            result.created += 1
        else:
            result.updated += 1
        unit.name, unit.level = row.name, row.level
        if progress:
            progress(1)
    session.flush()
    for row in rows:
        unit = by_code[row.code]
        parent = by_code.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent is None:
            raise UnitError(f"đơn vị {row.code}: không tìm thấy đơn vị cấp trên '{row.parent_code}'")
        if parent is not None and LEVELS.index(parent.level) >= LEVELS.index(unit.level):
            raise UnitError(f"đơn vị {row.code} ({unit.level}) không thể trực thuộc {parent.code} ({parent.level})")
        unit.parent_id = parent.id if parent else None
    session.flush()
    rebuild_paths(session)
    return result


def rebuild_paths(session: Session) -> None:
    """Recompute ``path``, ``depth`` and the closure table from the parent links; refuse a cycle."""
    units = list(session.scalars(select(Unit)))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    stack = [(root, "/") for root in children.get(None, [])]
    placed = 0
    while stack:
        unit, prefix = stack.pop()
        unit.path = f"{prefix}{unit.id}/"
        unit.depth = unit.path.count("/") - 2
        placed += 1
        stack.extend((child, unit.path) for child in children.get(unit.id, []))
    if placed != len(units):
        raise UnitError("cây đơn vị có vòng lặp (một đơn vị là cấp trên của chính nó)")
    session.flush()
    session.execute(delete(UnitTree))
    rows: list[dict[str, int]] = []
    for unit in units:
        ids = [int(part) for part in unit.path.strip("/").split("/")]
        rows.extend({"ancestor_id": a, "unit_id": unit.id, "distance": len(ids) - 1 - i} for i, a in enumerate(ids))
    if rows:
        session.execute(insert(UnitTree), rows)


def get_unit(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code))


def parent_of(session: Session, unit: Unit) -> Unit | None:
    return session.get(Unit, unit.parent_id) if unit.parent_id is not None else None


def roots(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code)))
