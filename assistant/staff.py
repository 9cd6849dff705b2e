"""Staff accounts: officers, legal staff, curators and administrators, each bound to one unit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.union import ROLES, StaffUser
from assistant.security import DEFAULT_ROUNDS, hash_password
from assistant.units import get_unit

MIN_PASSWORD = 8


class StaffError(ValueError):
    """The account cannot be created as asked; the message says why."""


def add_staff(
    session: Session,
    username: str,
    role: str,
    unit_code: str,
    password: str,
    full_name: str = "",
    rounds: int = DEFAULT_ROUNDS,
) -> tuple[StaffUser, bool]:
    """Create the account, or update role, unit, name and password of an existing one."""
    username = username.strip()
    if not username or len(username) > 64:
        raise StaffError("tên đăng nhập không hợp lệ")
    if role not in ROLES:
        raise StaffError(f"vai trò '{role}' không hợp lệ (một trong: {', '.join(ROLES)})")
    unit = get_unit(session, unit_code)
    if unit is None:
        raise StaffError(f"không tìm thấy đơn vị '{unit_code}'")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")
    staff = session.scalar(select(StaffUser).where(StaffUser.username == username))
    created = staff is None
    if staff is None:
        staff = StaffUser(username=username)
        session.add(staff)
    staff.role, staff.unit_id, staff.active = role, unit.id, True
    staff.full_name = full_name or staff.full_name or ""
    staff.password_hash = hash_password(password, rounds)
    session.flush()
    return staff, created
