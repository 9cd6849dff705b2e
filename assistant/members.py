"""Union members: importing the membership list and finding a member by code or phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.union import Member, Unit
from assistant.units import ImportResult, UnitError, read_csv_rows

MEMBER_COLUMNS = ("member_code", "full_name", "phone", "unit_code")


class MemberError(ValueError):
    """A member row or request that cannot be applied; the message is for the operator."""


def normalize_phone(raw: str | None) -> str | None:
    """Vietnamese numbers in one form: "+84 912-345-678" and "0912345678" both become "0912345678"."""
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits:
        return None
    return digits


@dataclass(frozen=True)
class MemberRow:
    member_code: str
    full_name: str
    phone: str
    unit_code: str


def read_members_csv(path: Path) -> list[MemberRow]:
    try:
        rows = [MemberRow(**row) for row in read_csv_rows(path, MEMBER_COLUMNS)]
    except UnitError as exc:
        raise MemberError(str(exc)) from exc
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not row.member_code or not row.full_name or not row.unit_code:
            raise MemberError(f"dòng {number}: thiếu mã đoàn viên, họ tên hoặc mã đơn vị")
        if row.member_code in seen:
            raise MemberError(f"dòng {number}: mã đoàn viên '{row.member_code}' bị lặp")
        seen.add(row.member_code)
    return rows


def import_members(
    session: Session, rows: list[MemberRow], progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Create or update members by member code; every unit must already exist."""
    units = dict(session.execute(select(Unit.code, Unit.id)).tuples().all())
    missing = sorted({r.unit_code for r in rows} - units.keys())
    if missing:
        raise MemberError(f"không tìm thấy đơn vị: {', '.join(missing[:10])}")
    existing = {m.member_code: m for m in session.scalars(select(Member))}
    result = ImportResult()
    for row in rows:
        member = existing.get(row.member_code)
        if member is None:
            member = Member(member_code=row.member_code)
            session.add(member)
            existing[row.member_code] = member
            result.created += 1
        else:
            result.updated += 1
        member.full_name = row.full_name
        member.phone = normalize_phone(row.phone)
        member.unit_id = units[row.unit_code]
        if progress:
            progress(1)
    session.flush()
    return result


def by_code(session: Session, member_code: str) -> Member | None:
    return session.scalar(select(Member).where(Member.member_code == member_code.strip()))


def by_phone(session: Session, phone: str) -> list[Member]:
    normalized = normalize_phone(phone)
    if not normalized:
        return []
    return list(session.scalars(select(Member).where(Member.phone == normalized)))
