"""``make bench``: performance figures for ingestion, search, chat and the officers' case queue.

The ingestion and cases sections run in their own temporary data directories; search and chat use the
evaluation corpus in ``var/eval`` (its embedding cache means only the first run embeds the corpus). Every
section adds its figures to one report, printed as a table and written to ``reports/bench.json`` and
``reports/bench.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from assistant.config import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED_RAW = REPO.parent / "shared" / "corpus" / "raw"
console = Console(stderr=True)

Section = Callable[[dict[str, Any]], None]


def raw_files() -> list[Path]:
    if not SHARED_RAW.is_dir():
        raise SystemExit(f"shared corpus not found at {SHARED_RAW}")
    return sorted(SHARED_RAW.glob("*.txt"))


def bench_ingestion(report: dict[str, Any]) -> None:
    """Parse and store the whole shared corpus into a fresh SQLite database (index excluded)."""
    from assistant.db.engine import Database
    from assistant.db.migrate import upgrade
    from ingestion.catalogue import Catalogue
    from ingestion.loaders import load_path
    from ingestion.pipeline import Ingestor
    from ingestion.structure import parse_document

    files = raw_files()
    texts = [load_path(p).text for p in files]
    start = time.perf_counter()
    parsed = [parse_document(t) for t in texts]
    parse_seconds = time.perf_counter() - start
    articles = sum(len(p.articles) for p in parsed)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))  # type: ignore[call-arg]
        upgrade(settings)
        ingestor = Ingestor(Database(settings), Catalogue.load())
        start = time.perf_counter()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("ingest", total=len(files))
            for path in files:
                ingestor.ingest_path(path)
                progress.advance(task)
        total = time.perf_counter() - start
        ingestor.db.dispose()
    report["ingestion"] = {
        "documents": len(files),
        "articles": articles,
        "parse_seconds": round(parse_seconds, 3),
        "ingest_seconds": round(total, 3),
        "provisions_per_second": round(articles / total, 1),
        "parse_articles_per_second": round(articles / parse_seconds, 1),
    }


def sections() -> dict[str, Section]:
    found: dict[str, Section] = {"ingestion": bench_ingestion}
    for name, module in (
        ("search", "evals.bench_search"),
        ("chat", "evals.bench_chat"),
        ("cases", "evals.bench_cases"),
    ):
        try:
            found[name] = __import__(module, fromlist=["run"]).run
        except ImportError as exc:
            console.print(f"[yellow]bỏ qua {name}: {exc}[/yellow]")
    return found


def markdown(report: dict[str, Any]) -> str:
    lines = ["# congdoan benchmark", ""]
    for section, figures in report.items():
        if not isinstance(figures, dict):
            continue
        lines += [f"## {section}", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in figures.items()]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="congdoan benchmarks")
    parser.add_argument("--only", nargs="*", help="sections to run")
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    tracemalloc.start()
    for name, run in sections().items():
        if args.only and name not in args.only:
            continue
        console.print(f"[bold]{name}[/bold]")
        run(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "bench.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
