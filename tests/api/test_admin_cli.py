"""The operators' commands: units, members, staff, cases sweep, members export/forget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from api import admin_cli
from assistant.config import Settings
from assistant.db.union import StaffUser
from assistant.platform import Platform
from assistant.security import verify_password
from tests.conftest import make_settings

UNITS = """code,name,level,parent_code
TLD,Tổng Liên đoàn Lao động Việt Nam,tong,
HN,Liên đoàn Lao động thành phố Hà Nội,tinh_nganh,TLD
HN-CG,Liên đoàn Lao động quận Cầu Giấy,cap_tren_co_so,HN
HN-CG-A,Công đoàn cơ sở Công ty May A,co_so,HN-CG
"""
MEMBERS = """member_code,full_name,phone,unit_code
DV-1,Nguyễn Thị Lan,0912 345 671,HN-CG-A
DV-2,Trần Văn Minh,,HN-CG-A
"""


@pytest.fixture
def run(tmp_path: Path) -> object:
    settings: Settings = make_settings(tmp_path)
    platform = Platform(settings)
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """congdoan"""

    admin_cli.register(app)
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), obj=platform, input=stdin)
        return result.exit_code, result.stdout, result.stderr

    invoke.platform = platform  # type: ignore[attr-defined]
    yield invoke
    platform.close()


def test_import_add_staff_sweep_export_and_forget(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "members.csv").write_text(MEMBERS, encoding="utf-8")
    code, out, _ = run("units", "import", str(tmp_path / "units.csv"), "--json")
    assert code == 0 and json.loads(out) == {"created": 4, "updated": 0}
    code, out, _ = run("units", "import", str(tmp_path / "units.csv"))
    assert code == 0 and "4 cập nhật" in out
    code, out, _ = run("members", "import", str(tmp_path / "members.csv"), "--json")
    assert code == 0 and json.loads(out)["created"] == 2

    code, out, _ = run(
        "staff",
        "add",
        "lan.cb",
        "--role",
        "officer",
        "--unit",
        "HN-CG-A",
        "--password-stdin",
        "--json",
        stdin="mat-khau-rat-dai\n",
    )
    assert code == 0 and json.loads(out) == {
        "username": "lan.cb",
        "role": "officer",
        "unit": "HN-CG-A",
        "created": True,
    }
    with run.platform.db.session() as s:
        staff = s.scalar(select(StaffUser).where(StaffUser.username == "lan.cb"))
        assert staff is not None and verify_password("mat-khau-rat-dai", staff.password_hash)
    code, _, err = run(
        "staff", "add", "x", "--role", "boss", "--unit", "HN", "--password-stdin", stdin="mat-khau-rat-dai\n"
    )
    assert code == 1 and "vai trò" in err

    code, out, _ = run("cases", "sweep", "--json")
    assert code == 0 and json.loads(out) == {"escalated": [], "purged_conversations": 0}

    code, out, _ = run("members", "export", "DV-1")
    assert code == 0 and json.loads(out)["member"]["phone"] == "0912345671"
    code, _, err = run("members", "export", "DV-404")
    assert code == 1 and "DV-404" in err
    code, out, _ = run("members", "forget", "DV-1", "--yes", "--json")
    assert code == 0 and json.loads(out)["conversations"] == 0
    assert run("members", "export", "DV-1")[0] == 1


def test_bad_files_fail_with_a_reason(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.csv").write_text("code,name\nA,B\n", encoding="utf-8")
    code, _, err = run("units", "import", str(tmp_path / "bad.csv"))
    assert code == 1 and "thiếu cột" in err
    (tmp_path / "m.csv").write_text(MEMBERS, encoding="utf-8")
    code, _, err = run("members", "import", str(tmp_path / "m.csv"))
    assert code == 1 and "HN-CG-A" in err
