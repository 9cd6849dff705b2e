"""``congdoan eval retrieval|answers``: quality reports over evaluation datasets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from assistant.platform import Platform
from evals.datasets import DatasetError, load_datasets

eval_app = typer.Typer(help="Đánh giá chất lượng tìm kiếm và câu trả lời.", no_args_is_help=True)
console = Console(stderr=True)

DATASET_HELP = "Tên bộ câu hỏi (levietsangg, mrhao165, own, own_scope) hoặc đường dẫn tệp JSONL; lặp lại được."


def _platform(ctx: typer.Context, shared_corpus: bool) -> Platform:
    if shared_corpus:
        from evals.corpus_env import corpus_platform

        return corpus_platform(console=console)
    platform: Platform = ctx.obj
    platform.migrate()
    return platform


def _questions(datasets: list[str]) -> list[Any]:
    try:
        return load_datasets(datasets)
    except (DatasetError, FileNotFoundError) as exc:
        console.print(f"[red]Lỗi:[/red] {exc}")
        raise typer.Exit(1) from exc


@eval_app.command("retrieval")
def eval_retrieval(
    ctx: typer.Context,
    dataset: list[str] = typer.Option(..., "--dataset", help=DATASET_HELP),
    k: int = typer.Option(10, "--k"),
    out: Path = typer.Option(Path("reports"), "--out", help="Thư mục ghi báo cáo (Markdown, JSON, PNG)."),
    shared_corpus: bool = typer.Option(False, "--shared-corpus", help="Dùng kho văn bản dùng chung (var/eval)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Recall@1/5/10, MRR@10, nDCG@10, có dấu / không dấu, độ trễ; hybrid cạnh BM25 và dense."""
    from evals.report import render_markdown, write_report
    from evals.retrieval_eval import evaluate_retrieval

    questions = _questions(dataset)
    platform = _platform(ctx, shared_corpus)
    retriever = platform.search.retriever
    searchers = {"hybrid": retriever.search, "bm25": retriever.search_bm25, "dense": retriever.search_dense}
    report = evaluate_retrieval(questions, searchers, k=k, progress=not as_json)
    files = write_report(report, out)
    if as_json:
        print(json.dumps(report.to_dict(with_results=False), ensure_ascii=False, indent=2))
    else:
        print(render_markdown(report))
        console.print(f"Báo cáo: {files}")


ANSWER_SETS = ["levietsangg", "mrhao165", "own", "own_scope"]


def answer_report(platform: Platform, questions: list[Any], out: Path) -> Any:
    from assistant.answering.chain import ChatRequest
    from evals.answer_eval import evaluate_answers, write_report

    def ask(question: Any) -> Any:
        return platform.chain.run(ChatRequest(question.question, as_of=question.as_of)).answer

    report = evaluate_answers(questions, ask, platform.db)
    write_report(report, out)
    return report


@eval_app.command("answers")
def eval_answers(
    ctx: typer.Context,
    dataset: list[str] = typer.Option(ANSWER_SETS, "--dataset", help=DATASET_HELP),
    out: Path = typer.Option(Path("reports"), "--out", help="Thư mục ghi báo cáo (Markdown, JSON)."),
    shared_corpus: bool = typer.Option(False, "--shared-corpus", help="Dùng kho văn bản dùng chung (var/eval)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Trích dẫn bịa, tỷ lệ trích dẫn đúng điều chuẩn, từ chối đúng/nhầm, con số có trong văn bản."""
    from evals.answer_eval import render_markdown

    questions = _questions(dataset)
    platform = _platform(ctx, shared_corpus)
    report = answer_report(platform, questions, out)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(render_markdown(report))


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
