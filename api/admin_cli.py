"""Operators' commands for the union's data: ``units``, ``members``, ``staff`` and ``cases`` sub-commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from assistant.platform import Platform

units_app = typer.Typer(help="Cây tổ chức công đoàn.", no_args_is_help=True)
members_app = typer.Typer(help="Đoàn viên: nhập danh sách, xuất và xoá dữ liệu cá nhân.", no_args_is_help=True)
staff_app = typer.Typer(help="Tài khoản cán bộ.", no_args_is_help=True)
cases_app = typer.Typer(help="Vụ việc của đoàn viên.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="In một tài liệu JSON ra stdout.")


def fail(message: str) -> NoReturn:
    typer.echo(f"Lỗi: {message}", err=True)
    raise typer.Exit(1)


def emit(data: Any, as_json: bool, text: str) -> None:
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(text)


def _platform(ctx: typer.Context) -> Platform:
    platform: Platform = ctx.obj
    platform.migrate()
    return platform


@contextmanager
def progress_bar(label: str, total: int, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (nothing when printing JSON, so stdout stays one document)."""
    if quiet or not sys.stderr.isatty():
        yield lambda _n: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


@units_app.command("import")
def units_import(
    ctx: typer.Context,
    csv_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV: code,name,level,parent_code")],
    as_json: bool = JSON_OPTION,
) -> None:
    """Nhập hoặc cập nhật đơn vị công đoàn từ tệp CSV (theo mã đơn vị)."""
    from assistant.units import UnitError, import_units, read_units_csv

    platform = _platform(ctx)
    try:
        rows = read_units_csv(csv_path)
        with platform.db.session() as session, progress_bar("Nhập đơn vị", len(rows), as_json) as advance:
            result = import_units(session, rows, advance)
    except UnitError as exc:
        fail(str(exc))
    emit(
        result.as_dict(),
        as_json,
        f"Đã nhập {len(rows)} đơn vị: {result.created} mới, {result.updated} cập nhật.",
    )


@units_app.command("list")
def units_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Liệt kê cây đơn vị."""
    from sqlalchemy import select

    from assistant.db.union import Unit

    platform = _platform(ctx)
    with platform.db.session() as session:
        units: list[dict[str, Any]] = [
            {"code": u.code, "name": u.name, "level": u.level, "depth": u.depth}
            for u in session.scalars(select(Unit).order_by(Unit.path))
        ]
    emit(units, as_json, "\n".join(f"{'  ' * int(u['depth'])}{u['code']}  {u['name']}" for u in units))


@members_app.command("import")
def members_import(
    ctx: typer.Context,
    csv_path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV: member_code,full_name,phone,unit_code")
    ],
    as_json: bool = JSON_OPTION,
) -> None:
    """Nhập hoặc cập nhật danh sách đoàn viên từ tệp CSV (theo mã đoàn viên)."""
    from assistant.members import MemberError, import_members, read_members_csv

    platform = _platform(ctx)
    try:
        rows = read_members_csv(csv_path)
        with platform.db.session() as session, progress_bar("Nhập đoàn viên", len(rows), as_json) as advance:
            result = import_members(session, rows, advance)
    except MemberError as exc:
        fail(str(exc))
    emit(
        result.as_dict(),
        as_json,
        f"Đã nhập {len(rows)} đoàn viên: {result.created} mới, {result.updated} cập nhật.",
    )


@members_app.command("export")
def members_export(ctx: typer.Context, member_code: str = typer.Argument(..., help="Mã đoàn viên")) -> None:
    """Xuất toàn bộ dữ liệu đang lưu về một đoàn viên (JSON), theo yêu cầu của đoàn viên."""
    from assistant.privacy import export_member

    platform = _platform(ctx)
    with platform.db.session() as session:
        data = export_member(session, member_code)
    if data is None:
        fail(f"không tìm thấy đoàn viên '{member_code}'")
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@members_app.command("forget")
def members_forget(
    ctx: typer.Context,
    member_code: str = typer.Argument(..., help="Mã đoàn viên"),
    yes: bool = typer.Option(False, "--yes", help="Không hỏi lại."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Xoá dữ liệu cá nhân của một đoàn viên: hội thoại, liên kết kênh và hồ sơ; vụ việc được ẩn danh."""
    from assistant.privacy import forget_member

    if not yes and not typer.confirm(f"Xoá vĩnh viễn dữ liệu của đoàn viên {member_code}?"):
        raise typer.Exit(1)
    platform = _platform(ctx)
    with platform.db.session() as session:
        summary = forget_member(session, member_code)
    if summary is None:
        fail(f"không tìm thấy đoàn viên '{member_code}'")
    emit(
        summary,
        as_json,
        f"Đã xoá: {summary['conversations']} cuộc hội thoại, {summary['channel_identities']} liên kết kênh; "
        f"{summary['cases_anonymised']} vụ việc được ẩn danh.",
    )


@staff_app.command("add")
def staff_add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Tên đăng nhập"),
    role: str = typer.Option(..., "--role", help="officer | legal | curator | admin"),
    unit: str = typer.Option(..., "--unit", help="Mã đơn vị"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Đọc mật khẩu từ stdin (một dòng)."),
    full_name: str = typer.Option("", "--full-name", help="Họ tên"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Tạo (hoặc cập nhật) tài khoản cán bộ gắn với một đơn vị."""
    from assistant.staff import StaffError, add_staff

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    platform = _platform(ctx)
    try:
        with platform.db.session() as session:
            staff, created = add_staff(session, username, role, unit, password, full_name)
            data = {"username": staff.username, "role": staff.role, "unit": unit, "created": created}
    except StaffError as exc:
        fail(str(exc))
    emit(data, as_json, f"Đã {'tạo' if created else 'cập nhật'} tài khoản {username} ({role}, đơn vị {unit}).")


@cases_app.command("sweep")
def cases_sweep(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Chuyển các vụ việc quá hạn lên công đoàn cấp trên và xoá hội thoại hết thời hạn lưu trữ."""
    from assistant.cases import sweep
    from assistant.privacy import purge_expired

    platform = _platform(ctx)
    moved = sweep(platform.db, platform.settings)
    with platform.db.session() as session:
        purged = purge_expired(session, platform.settings)
    data = {
        "escalated": [
            {
                "case_id": m.case_id,
                "from_unit": m.from_unit,
                "to_unit": m.to_unit,
                "missed_due_at": m.missed_due_at.isoformat(),
            }
            for m in moved
        ],
        "purged_conversations": purged,
    }
    emit(
        data,
        as_json,
        f"Đã chuyển {len(moved)} lượt vụ việc lên cấp trên; xoá {purged} cuộc hội thoại hết hạn.",
    )


def register(app: typer.Typer) -> None:
    app.add_typer(units_app, name="units")
    app.add_typer(members_app, name="members")
    app.add_typer(staff_app, name="staff")
    app.add_typer(cases_app, name="cases")
