"""The retrieval runner and its reports, with small real searchers over an in-memory list of provisions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import pytest

from assistant.vietnamese import fold
from evals.datasets import EvalQuestion, GoldRef, detect_style
from evals.report import render_markdown, write_report
from evals.retrieval_eval import RetrievalReport, evaluate_retrieval

BLLD = "45/2019/QH14"
CD = "50/2024/QH15"


@dataclass(frozen=True)
class Hit:
    work_number: str
    article: int
    clause: int | None
    text: str


PROVISIONS = [
    Hit(BLLD, 113, 1, "Người lao động được nghỉ hằng năm 12 ngày làm việc"),
    Hit(BLLD, 139, 1, "Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng"),
    Hit(BLLD, 35, 1, "Người lao động có quyền đơn phương chấm dứt hợp đồng nhưng phải báo trước 45 ngày"),
    Hit(BLLD, 98, 1, "Làm thêm giờ vào ngày thường được trả lương ít nhất bằng 150%"),
    Hit(CD, 21, None, "Quyền của đoàn viên công đoàn: yêu cầu Công đoàn đại diện bảo vệ quyền lợi"),
    Hit("12/2012/QH13", 18, None, "Quyền của đoàn viên công đoàn theo luật năm 2012"),
]


def overlap_searcher(normalise: Callable[[str], str]) -> Callable[[str, int, date | None], list[Hit]]:
    """Rank provisions by shared words after ``normalise``; an as_of before 2025-07-01 hides the 2024 law and
    one after hides the 2012 law, as a date filter would."""

    def search(query: str, k: int, as_of: date | None) -> list[Hit]:
        words = set(normalise(query).split())
        cutoff = date(2025, 7, 1)
        visible = [
            p for p in PROVISIONS
            if not (p.work_number == CD and as_of and as_of < cutoff)
            and not (p.work_number == "12/2012/QH13" and (as_of is None or as_of >= cutoff))
        ]
        scored = [(len(words & set(normalise(p.text).split())), i, p) for i, p in enumerate(visible)]
        return [p for score, _, p in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0][:k]

    return search


def question(
    qid: str,
    text: str,
    gold: list[tuple[str, int, int | None]],
    *,
    dataset: str = "tiny",
    expects: Literal["answer", "refuse", "escalate"] = "answer",
    as_of: date | None = None,
) -> EvalQuestion:
    return EvalQuestion(id=qid, question=text, gold=tuple(GoldRef(*g) for g in gold), expects=expects,
                        style=detect_style(text), dataset=dataset, as_of=as_of)


QUESTIONS = [
    question("q1", "Nghỉ hằng năm được mấy ngày?", [(BLLD, 113, 1)]),
    question("q2", "nghi de duoc may thang", [(BLLD, 139, 1)]),
    question("q3", "Đơn phương chấm dứt hợp đồng phải báo trước bao lâu?", [(BLLD, 35, 1)]),
    question("q4", "Làm thêm giờ ngày thường trả bao nhiêu?", [(BLLD, 98, 1), (BLLD, 107, 2)],
             dataset="other"),
    question("q5", "Quyền của đoàn viên công đoàn?", [("12/2012/QH13", 18, None)], as_of=date(2025, 1, 1)),
    question("q6", "Cho tôi gặp cán bộ công đoàn", [], expects="escalate"),
]


def ticking_clock(step_ms: float) -> Callable[[], float]:
    ticks: Iterator[int] = iter(range(10**6))
    return lambda: next(ticks) * step_ms / 1000


@pytest.fixture
def report() -> RetrievalReport:
    searchers = {"folded": overlap_searcher(fold), "exact": overlap_searcher(str.lower)}
    return evaluate_retrieval(QUESTIONS, searchers, k=10, progress=False, clock=ticking_clock(2.0))


def test_rows_cover_searchers_datasets_and_subsets(report: RetrievalReport) -> None:
    assert report.searchers == ["folded", "exact"]
    assert report.datasets == ["tiny", "other"]
    assert report.skipped == 1  # the request for a human has nothing to retrieve
    keys = {(r.searcher, r.dataset, r.subset) for r in report.rows}
    assert ("folded", "all", "all") in keys and ("exact", "other", "paired_folded") in keys
    assert ("folded", "tiny", "no_diacritics") in keys
    # 5 scored questions asked as written, plus the 4 written with diacritics asked again without them.
    assert len(report.results) == 2 * (5 + 4)


def test_folded_searcher_finds_everything(report: RetrievalReport) -> None:
    row = report.row("folded", "all", "all")
    assert row.n == 5
    # q4 has two gold articles and only one exists here: recall@1 = 1/min(2, 1), recall@5 = 1/min(2, 5),
    # nDCG = 1 / (1 + 1/log2 3).
    assert row.recall == {1: 1.0, 5: pytest.approx(4.5 / 5), 10: pytest.approx(4.5 / 5)}
    assert row.mrr == 1.0
    assert row.ndcg == pytest.approx((4 + 1 / (1 + 1 / 1.5849625007)) / 5)
    assert report.row("folded", "all", "paired_folded").recall[5] == pytest.approx(3.5 / 4)


def test_accent_sensitive_searcher_loses_on_folded_questions(report: RetrievalReport) -> None:
    original = report.row("exact", "all", "paired_original")
    folded = report.row("exact", "all", "paired_folded")
    assert original.n == folded.n == 4
    assert original.recall[5] == pytest.approx(3.5 / 4)
    assert folded.recall[5] < original.recall[5]
    # "nghi de duoc may thang" is written without diacritics: the exact searcher cannot match it at all.
    assert report.row("exact", "tiny", "no_diacritics").recall[10] == 0.0


def test_as_of_reaches_the_searcher(report: RetrievalReport) -> None:
    q5 = next(
        r for r in report.results if (r.question_id, r.searcher, r.variant) == ("q5", "folded", "original")
    )
    assert q5.ranking[0] == ("12/2012/QH13", 18)


def test_latency_clause_recall_and_warmup() -> None:
    calls: list[str] = []
    search = overlap_searcher(fold)

    def counting(query: str, k: int, as_of: date | None) -> list[Hit]:
        calls.append(query)
        return search(query, k, as_of)

    report = evaluate_retrieval(QUESTIONS[:3], {"s": counting}, k=5, progress=False, fold_pairs=False,
                                clock=ticking_clock(3.0))
    assert len(calls) == 1 + 3  # one untimed warm-up, then every question once
    row = report.row("s", "tiny", "all")
    assert row.latency_p50_ms == pytest.approx(3.0) and row.latency_p95_ms == pytest.approx(3.0)
    assert report.cutoffs == (1, 5)
    assert row.clause_recall[5] == 1.0 and row.clause_n == 3
    assert report.row("s", "all", "all") is None  # a single dataset has no pooled row


def test_no_searcher_is_an_error() -> None:
    with pytest.raises(ValueError):
        evaluate_retrieval(QUESTIONS, {}, progress=False)


def test_reports_are_written(report: RetrievalReport, tmp_path: Path) -> None:
    files = write_report(report, tmp_path / "out")
    markdown = files.markdown.read_text(encoding="utf-8")
    assert "| folded | tiny | 4 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 (3) |" in markdown
    assert "| exact | tất cả |" in markdown
    assert "Câu hỏi có dấu và không dấu" in markdown
    data = json.loads(files.json.read_text(encoding="utf-8"))
    assert data["searchers"] == ["folded", "exact"]
    assert {row["subset"] for row in data["rows"]} >= {"all", "diacritics", "no_diacritics", "paired_folded"}
    assert len(data["results"]) == 18
    png = files.chart.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert render_markdown(report) == markdown


def test_chart_wraps_many_question_sets(tmp_path: Path) -> None:
    text = "Nghỉ hằng năm được mấy ngày?"
    many = [question(f"m{i}", text, [(BLLD, 113, 1)], dataset=f"set{i}") for i in range(4)]
    report = evaluate_retrieval(many, {"folded": overlap_searcher(fold)}, progress=False)
    assert report.datasets == ["set0", "set1", "set2", "set3"]
    files = write_report(report, tmp_path)
    assert files.chart.read_bytes().startswith(b"\x89PNG")
    assert "| folded | set3 | 1 | 1.000 |" in files.markdown.read_text(encoding="utf-8")
