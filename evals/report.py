"""Retrieval reports: a Markdown table, the full JSON, and a PNG chart of recall@k and MRR per searcher."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from evals.retrieval_eval import ALL, RetrievalReport, Summary

DATASET_LABELS = {ALL: "tất cả"}


@dataclass(frozen=True)
class ReportFiles:
    markdown: Path
    json: Path
    chart: Path


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _dataset(name: str) -> str:
    return DATASET_LABELS.get(name, name)


def _datasets(report: RetrievalReport) -> list[str]:
    return [*report.datasets, ALL] if len(report.datasets) > 1 else list(report.datasets)


def _main_table(report: RetrievalReport) -> list[str]:
    k = report.k
    recall_heads = " | ".join(f"R@{c}" for c in report.cutoffs)
    mid = 5 if 5 in report.cutoffs else report.cutoffs[-1]
    lines = [
        f"| Bộ tìm kiếm | Bộ câu hỏi | Số câu | {recall_heads} | MRR@{k} | nDCG@{k} | Khoản R@{mid} "
        "| p50 (ms) | p95 (ms) |",
        "|" + "---|" * (8 + len(report.cutoffs)),
    ]
    for dataset in _datasets(report):
        for searcher in report.searchers:
            row = report.row(searcher, dataset, "all")
            if row is None:
                continue
            recalls = " | ".join(_num(row.recall[c]) for c in report.cutoffs)
            lines.append(
                f"| {searcher} | {_dataset(dataset)} | {row.n} | {recalls} | {_num(row.mrr)} "
                f"| {_num(row.ndcg)} | {_num(row.clause_recall[mid])} ({row.clause_n}) "
                f"| {_ms(row.latency_p50_ms)} | {_ms(row.latency_p95_ms)} |"
            )
    return lines


def _recall(row: Summary | None, cutoff: int) -> str:
    if row is None:
        return "–"
    return f"{_num(row.recall[cutoff])} ({row.n})"


def _gap(first: Summary | None, second: Summary | None, cutoff: int) -> str:
    if first is None or second is None:
        return "–"
    a, b = first.recall[cutoff], second.recall[cutoff]
    return "–" if a is None or b is None else f"{(b - a) * 100:+.1f}"


def _style_table(report: RetrievalReport) -> list[str]:
    cutoff = 5 if 5 in report.cutoffs else report.cutoffs[-1]
    lines = [
        f"| Bộ tìm kiếm | Bộ câu hỏi | R@{cutoff} có dấu | R@{cutoff} không dấu | R@{cutoff} cùng câu có dấu "
        f"| R@{cutoff} cùng câu bỏ dấu | Chênh lệch (điểm) |",
        "|---|---|---|---|---|---|---|",
    ]
    for dataset in _datasets(report):
        for searcher in report.searchers:
            if report.row(searcher, dataset, "all") is None:
                continue
            original = report.row(searcher, dataset, "paired_original")
            folded = report.row(searcher, dataset, "paired_folded")
            lines.append(
                f"| {searcher} | {_dataset(dataset)} "
                f"| {_recall(report.row(searcher, dataset, 'diacritics'), cutoff)} "
                f"| {_recall(report.row(searcher, dataset, 'no_diacritics'), cutoff)} "
                f"| {_recall(original, cutoff)} | {_recall(folded, cutoff)} "
                f"| {_gap(original, folded, cutoff)} |"
            )
    return lines


def render_markdown(report: RetrievalReport, title: str = "Đánh giá truy xuất") -> str:
    lines = [
        f"# {title}",
        "",
        f"Thời điểm: {report.created_at} · k = {report.k} · bộ câu hỏi: {', '.join(report.datasets)} "
        f"· bỏ qua {report.skipped} câu không có căn cứ vàng (câu cần từ chối hoặc chuyển cán bộ).",
        "",
        "Điểm tính ở mức Điều: các kết quả trùng Điều chỉ tính lần đầu. R@k = số Điều đúng trong k kết quả "
        "đầu chia cho min(số Điều đúng, k); MRR và nDCG với độ liên quan nhị phân; cột Khoản tính trên các "
        "câu có căn cứ đến khoản (số câu trong ngoặc). Độ trễ đo cho từng câu hỏi, sau một câu khởi động.",
        "",
        *_main_table(report),
        "",
        "## Câu hỏi có dấu và không dấu",
        "",
        "Hai cột đầu: câu hỏi như người dùng đã gõ. Hai cột sau: chính những câu có dấu đó, hỏi lại sau khi "
        "bỏ hết dấu; chênh lệch là (bỏ dấu − có dấu) × 100.",
        "",
        *_style_table(report),
        "",
    ]
    return "\n".join(lines)


def render_chart(report: RetrievalReport, path: Path) -> None:
    """Grouped bars, one panel per question set: recall@k and MRR@k for each searcher."""
    datasets = _datasets(report)
    metrics = [*(f"R@{c}" for c in report.cutoffs), f"MRR@{report.k}"]
    columns = min(3, len(datasets))
    rows = math.ceil(len(datasets) / columns)
    figure = Figure(figsize=(max(6.0, 4.4 * columns), 3.8 * rows + 0.6), layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.subplots(rows, columns, sharey=True, squeeze=False)
    axes = [ax for row in grid for ax in row]
    for unused in axes[len(datasets):]:
        unused.set_visible(False)
    width = 0.8 / max(1, len(report.searchers))
    for ax, dataset in zip(axes, datasets, strict=False):
        for i, searcher in enumerate(report.searchers):
            row = report.row(searcher, dataset, "all")
            if row is None:
                continue
            values = [*(row.recall[c] or 0.0 for c in report.cutoffs), row.mrr or 0.0]
            positions = [m + (i - (len(report.searchers) - 1) / 2) * width for m in range(len(metrics))]
            ax.bar(positions, values, width=width, label=searcher)
        ax.set_title(f"{_dataset(dataset)}")
        ax.set_xticks(range(len(metrics)), metrics)
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
    for row in grid:
        row[0].set_ylabel("điểm")
    axes[len(datasets) - 1].legend(loc="lower right")
    figure.suptitle("Truy xuất: recall@k và MRR theo bộ tìm kiếm")
    figure.savefig(path, dpi=120)


def write_report(report: RetrievalReport, out_dir: Path, stem: str = "retrieval") -> ReportFiles:
    """Write ``<stem>.md``, ``<stem>.json`` and ``<stem>.png`` into ``out_dir`` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(out_dir / f"{stem}.md", out_dir / f"{stem}.json", out_dir / f"{stem}.png")
    files.markdown.write_text(render_markdown(report), encoding="utf-8")
    files.json.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    render_chart(report, files.chart)
    return files
