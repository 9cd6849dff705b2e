"""``congdoan ask QUESTION`` (the Answer, as text or ``--json``) and ``congdoan search QUERY``."""

from __future__ import annotations

import json
import sys
from datetime import date

import typer

from assistant.platform import Platform


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        typer.echo(f"Ngày không hợp lệ: {value!r} (dạng YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from exc


def _platform(ctx: typer.Context) -> Platform:
    platform: Platform = ctx.obj
    platform.migrate()
    return platform


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        ctx: typer.Context,
        question: str = typer.Argument(..., help="Câu hỏi về lao động, công đoàn, bảo hiểm xã hội."),
        as_of: str | None = typer.Option(
            None, "--as-of", help="Trả lời theo luật có hiệu lực ngày YYYY-MM-DD."
        ),
        as_json: bool = typer.Option(False, "--json", help="In đối tượng Answer dạng JSON."),
    ) -> None:
        """Hỏi trợ lý; câu trả lời có trích dẫn điều luật."""
        from assistant.answering.service import ChatInput

        day = _date(as_of)
        platform = _platform(ctx)
        text = question.strip()
        if not text or len(text) > platform.settings.max_message_chars:
            typer.echo(f"Câu hỏi phải có từ 1 đến {platform.settings.max_message_chars} ký tự.", err=True)
            raise typer.Exit(2)
        try:
            outcome = platform.chat.ask(ChatInput(message=text, as_of=day, channel="cli"))
        except Exception as exc:
            typer.echo(f"Không trả lời được: {exc}", err=True)
            raise typer.Exit(1) from exc
        answer = outcome.answer
        if as_json:
            sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
            return
        typer.echo(answer.answer)
        for citation in answer.citations:
            typer.echo(f"\n[{citation.label()}]\n{citation.quote}")

    @app.command("search")
    def search(
        ctx: typer.Context,
        query: str = typer.Argument(..., help="Câu hỏi hoặc từ khóa."),
        k: int = typer.Option(10, "--k", min=1, max=50, help="Số kết quả."),
        as_of: str | None = typer.Option(
            None, "--as-of", help="Ngày hiệu lực YYYY-MM-DD (mặc định hôm nay)."
        ),
        as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
    ) -> None:
        """Tìm các điều khoản liên quan nhất (tìm kiếm kết hợp BM25 + vector)."""
        from api.routes.search import hit_json

        day = _date(as_of) or date.today()
        platform = _platform(ctx)
        try:
            hits = [hit_json(h) for h in platform.retriever.search(query, k=k, as_of=day)]
        except Exception as exc:
            typer.echo(f"Không tìm kiếm được: {exc}", err=True)
            raise typer.Exit(1) from exc
        if as_json:
            sys.stdout.write(json.dumps({"hits": hits}, ensure_ascii=False, default=str, indent=2) + "\n")
            return
        for rank, hit in enumerate(hits, start=1):
            where = f"Điều {hit['article']}" + (f" khoản {hit['clause']}" if hit["clause"] else "")
            typer.echo(
                f"{rank:>2}. {hit['work_number']} {where} ({hit['score']:.4f}) {hit['document_title']}"
            )
            typer.echo(f"    {hit['text'][:200]}")
