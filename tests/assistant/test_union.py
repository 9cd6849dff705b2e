from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.conversations import Conversation
from assistant.db.engine import Database
from assistant.db.union import Member, Unit, UnitTree
from assistant.identity import LinkError, link_by_member_code, link_by_verified_phone, member_for
from assistant.members import MemberError, import_members, normalize_phone, read_members_csv
from assistant.staff import StaffError, add_staff
from assistant.units import UnitError, UnitRow, import_units, read_units_csv
from tests.assistant.union_seed import conversation, fresh_database, seed_union


@pytest.fixture
def db(db_settings: Settings) -> Iterator[Database]:
    database = fresh_database(db_settings)
    yield database
    database.dispose()


def subtree(session: Session, code: str) -> set[str]:
    """The closure table read back: codes of the unit and every unit below it."""
    top = session.scalar(select(Unit.id).where(Unit.code == code))
    below = select(UnitTree.unit_id).where(UnitTree.ancestor_id == top)
    return set(session.scalars(select(Unit.code).where(Unit.id.in_(below))))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_units_import_from_csv_with_parents_in_any_order(db: Database, tmp_path: Path) -> None:
    csv_file = _write(
        tmp_path / "units.csv",
        "code,name,level,parent_code\n"
        "CS1,Công đoàn cơ sở 1,co_so,QH\n"
        "QH,LĐLĐ quận Hoàn Kiếm,cap_tren_co_so,HN\n"
        "HN,LĐLĐ Hà Nội,tinh_nganh,TLD\n"
        "TLD,Tổng Liên đoàn,tong,\n",
    )
    with db.session() as s:
        result = import_units(s, read_units_csv(csv_file))
        assert result.as_dict() == {"created": 4, "updated": 0}
    with db.session() as s:
        units = {u.code: u for u in s.scalars(select(Unit))}
        assert units["CS1"].path == f"/{units['TLD'].id}/{units['HN'].id}/{units['QH'].id}/{units['CS1'].id}/"
        assert [units[c].depth for c in ("TLD", "HN", "QH", "CS1")] == [0, 1, 2, 3]
        assert subtree(s, "HN") == {"HN", "QH", "CS1"} and subtree(s, "CS1") == {"CS1"}
        # Re-importing updates in place; moving a unit moves its whole subtree.
        import_units(
            s,
            [
                UnitRow("HCM", "LĐLĐ TP.HCM", "tinh_nganh", "TLD"),
                UnitRow("QH", "LĐLĐ quận Hoàn Kiếm", "cap_tren_co_so", "HCM"),
            ],
        )
        hcm = s.scalar(select(Unit).where(Unit.code == "HCM"))
        assert subtree(s, "HN") == {"HN"} and subtree(s, "HCM") == {"HCM", "QH", "CS1"}
        assert subtree(s, "TLD") == {"TLD", "HN", "HCM", "QH", "CS1"}
        assert hcm is not None and units["CS1"].path == f"{hcm.path}{units['QH'].id}/{units['CS1'].id}/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name,level\nA,x,tong\n", "thiếu cột parent_code"),
        ("code,name,level,parent_code\nA,x,huyen,\n", "cấp 'huyen'"),
        ("code,name,level,parent_code\nA,x,tong,\nA,y,tong,\n", "bị lặp"),
        ("code,name,level,parent_code\nA,x,co_so,ZZ\n", "không tìm thấy đơn vị cấp trên"),
        ("code,name,level,parent_code\nA,x,co_so,\nB,y,tong,A\n", "không thể trực thuộc"),
    ],
)
def test_bad_unit_files_are_refused_with_the_reason(db: Database, tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(UnitError, match=message), db.session() as s:
        import_units(s, read_units_csv(_write(tmp_path / "u.csv", content)))
    with db.session() as s:
        assert list(s.scalars(select(Unit))) == []  # nothing half-written


def test_members_import_normalises_phones_and_needs_known_units(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        seed_union(s)
    good = _write(
        tmp_path / "m.csv",
        "member_code,full_name,phone,unit_code\n"
        "DV-X,Đỗ Văn X,+84 98 765 4321,HN-CG-A\nDV-A1,Nguyễn Thị Lan,0912.345.671,HN-CG-B\n",
    )
    with db.session() as s:
        assert import_members(s, read_members_csv(good)).as_dict() == {"created": 1, "updated": 1}
        moved = s.scalar(select(Member).where(Member.member_code == "DV-A1"))
        assert moved is not None and moved.unit.code == "HN-CG-B"
        assert s.scalar(select(Member.phone).where(Member.member_code == "DV-X")) == "0987654321"
    bad = _write(tmp_path / "bad.csv", "member_code,full_name,phone,unit_code\nDV-Y,Y,,KHONG-CO\n")
    with pytest.raises(MemberError, match="KHONG-CO"), db.session() as s:
        import_members(s, read_members_csv(bad))
    assert normalize_phone("84912345678") == "0912345678" and normalize_phone("") is None


def test_staff_accounts_are_checked(db: Database) -> None:
    with db.session() as s:
        seed_union(s)
        with pytest.raises(StaffError, match="vai trò"):
            add_staff(s, "x", "boss", "HN", "mat-khau-dai", rounds=4)
        with pytest.raises(StaffError, match="đơn vị"):
            add_staff(s, "x", "officer", "NOPE", "mat-khau-dai", rounds=4)
        with pytest.raises(StaffError, match="ít nhất"):
            add_staff(s, "x", "officer", "HN", "ngan", rounds=4)
        staff, created = add_staff(s, "cb.hn", "admin", "HN", "mat-khau-moi-dai", rounds=4)
        assert not created and staff.role == "admin"


def test_identity_links_by_member_code_or_verified_phone(db: Database) -> None:
    with db.session() as s:
        seed_union(s)
        earlier = conversation(s, channel="telegram", user="tg-9")
        with pytest.raises(LinkError):
            link_by_member_code(s, "telegram", "tg-9", "DV-A1", "0000")
        with pytest.raises(LinkError):
            link_by_member_code(s, "telegram", "tg-9", "DV-NOPE", "5671")
        assert member_for(s, "telegram", "tg-9") is None
        member = link_by_member_code(s, "telegram", "tg-9", "DV-A1", "5671")
        assert member_for(s, "telegram", "tg-9") == member
        linked = s.get(Conversation, earlier.id)
        assert linked is not None and linked.member_id == member.id and linked.unit_code == "HN-CG-A"
        assert link_by_verified_phone(s, "zalo", "z-1", "+84 912 345 674").member_code == "DV-C1"
        with pytest.raises(LinkError):
            link_by_verified_phone(s, "zalo", "z-2", "0900000000")
