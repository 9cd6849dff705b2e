"""``evaluate_answers``: the answer chain judged on evaluation datasets.

Figures (the issue's "done when"):
- fabricated citations: a quote that is not verbatim in the stored article it cites, or not inside the cited
  clause/point of that article (must be 0);
- gold-citation rate: answered in-scope questions whose citations include a gold provision (≥ 90%), with the
  stricter "every citation gold" rate and mean citation precision beside it;
- refusal rate on out-of-scope questions (≥ 95%) and wrong-refusal rate on in-scope ones (≤ 5%);
- numbers: answers in which every stated number appears in the cited text (must be 100%);
- escalation recall / false escalations, and latency percentiles.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assistant.answering.grounding import claimed_numbers, numbers_in
from assistant.answering.passages import split_units
from assistant.db.documents import Provision, Version, Work
from assistant.db.engine import Database
from assistant.legal import Answer, Citation
from evals.datasets import EvalQuestion
from evals.metrics import (
    all_citations_gold,
    citation_matches,
    citation_matches_strictly,
    citation_precision,
    escalation_recall,
    false_escalation_rate,
    mean,
    percentile,
    refusal_rate,
    wrong_refusal_rate,
)

Ask = Callable[[EvalQuestion], Answer]


@dataclass
class QuestionResult:
    id: str
    dataset: str
    expects: str
    refused: bool
    escalated: bool
    citations: list[dict[str, Any]]
    gold_hit: bool | None
    gold_hit_strict: bool | None
    gold_article_hit: bool | None
    all_gold: bool | None
    precision: float | None
    fabricated: list[str]
    numbers_ok: bool
    missing_numbers: list[str]
    latency_ms: float


@dataclass
class AnswerReport:
    questions: int
    datasets: list[str]
    fabricated_citations: int
    citations: int
    gold_citation_rate: float | None
    gold_citation_strict_rate: float | None
    gold_article_rate: float | None
    all_citations_gold_rate: float | None
    citation_precision: float | None
    refusal_rate: float | None
    wrong_refusal_rate: float | None
    escalation_recall: float | None
    false_escalation_rate: float | None
    numbers_in_cited_text_rate: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    results: list[QuestionResult] = field(default_factory=list)

    def to_dict(self, with_results: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_results:
            data.pop("results")
        return data


class ProvisionTexts:
    """Stored article text by (work, version label, article), to check quotes against the corpus itself."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[tuple[str, str, int], list[str]] = {}

    def __call__(self, citation: Citation) -> list[str]:
        key = (citation.work_number, citation.version_label, citation.article)
        if key not in self._cache:
            with self.db.session() as session:
                query = (
                    select(Provision.text)
                    .join(Version, Provision.version_id == Version.id)
                    .join(Work, Version.work_id == Work.id)
                    .where(Work.number == citation.work_number, Provision.article == citation.article)
                )
                if citation.version_label:
                    query = query.where(Version.label == citation.version_label)
                self._cache[key] = list(session.scalars(query))
        return self._cache[key]


def fabrication(citation: Citation, articles: Sequence[str]) -> str | None:
    """Why a citation is fabricated, or None: its quote must be verbatim in the cited article, and inside
    the cited clause (and point) when it names one."""
    label = citation.label()
    quote = " ".join(citation.quote.split())
    inside = [a for a in articles if quote and quote in " ".join(a.split())]
    if not inside:
        return f"{label}: trích dẫn không có nguyên văn trong điều luật đã lưu"
    if citation.clause is None and not citation.point:
        return None
    clause = str(citation.clause) if citation.clause is not None else None
    for article in inside:
        for unit in split_units(article):
            same_part = unit.clause == clause and (citation.point is None or unit.point == citation.point)
            if same_part and quote in " ".join(unit.text.split()):
                return None
    return f"{label}: trích dẫn không nằm trong khoản/điểm được dẫn"


def cited_text(citation: Citation, articles: Sequence[str]) -> str:
    """The quote and the clause it sits in (a cited point is read with its clause's lead-in)."""
    quote = " ".join(citation.quote.split())
    clause = str(citation.clause) if citation.clause is not None else None
    parts = [citation.quote]
    for article in articles:
        for unit in split_units(article):
            if unit.clause == clause and unit.point is None and quote in " ".join(unit.text.split()):
                parts.append(unit.text)
    return "\n".join(parts)


def judge(question: EvalQuestion, answer: Answer, texts: ProvisionTexts, latency_ms: float) -> QuestionResult:
    fabricated = [f for c in answer.citations if (f := fabrication(c, texts(c)))]
    cited = "\n".join(cited_text(c, texts(c)) for c in answer.citations)
    missing = sorted(claimed_numbers(answer.answer, answer.citations, [answer.as_of]) - numbers_in(cited))
    in_scope = question.expects != "refuse" and bool(question.gold)
    answered = not answer.refused and bool(answer.citations)
    return QuestionResult(
        id=question.id,
        dataset=question.dataset,
        expects=question.expects,
        refused=answer.refused,
        escalated=answer.escalation.suggested,
        citations=[
            {"work_number": c.work_number, "article": c.article, "clause": c.clause} for c in answer.citations
        ],
        gold_hit=any(citation_matches(c, question.gold) for c in answer.citations)
        if in_scope and answered
        else None,
        gold_hit_strict=any(citation_matches_strictly(c, question.gold) for c in answer.citations)
        if in_scope and answered
        else None,
        gold_article_hit=any(citation_matches(_article_only(c), question.gold) for c in answer.citations)
        if in_scope and answered
        else None,
        all_gold=all_citations_gold(answer.citations, question.gold) if in_scope and answered else None,
        precision=citation_precision(answer.citations, question.gold) if in_scope and answered else None,
        fabricated=fabricated,
        numbers_ok=not missing,
        missing_numbers=missing,
        latency_ms=round(latency_ms, 1),
    )


def _article_only(citation: Citation) -> Citation:
    return citation.model_copy(update={"clause": None, "point": None})


def evaluate_answers(questions: Sequence[EvalQuestion], ask: Ask, db: Database) -> AnswerReport:
    texts = ProvisionTexts(db)
    results: list[QuestionResult] = []
    for question in questions:
        started = time.perf_counter()
        answer = ask(question)
        results.append(judge(question, answer, texts, (time.perf_counter() - started) * 1000))
    return summarize(results, sorted({q.dataset for q in questions}))


def _rate(values: list[bool | None]) -> float | None:
    return mean(float(v) for v in values if v is not None)


def summarize(results: list[QuestionResult], datasets: list[str]) -> AnswerReport:
    refusals = [(r.expects, r.refused) for r in results]
    escalations = [(r.expects, r.escalated) for r in results]
    latencies = [r.latency_ms for r in results]
    return AnswerReport(
        questions=len(results),
        datasets=datasets,
        fabricated_citations=sum(len(r.fabricated) for r in results),
        citations=sum(len(r.citations) for r in results),
        gold_citation_rate=_rate([r.gold_hit for r in results]),
        gold_citation_strict_rate=_rate([r.gold_hit_strict for r in results]),
        gold_article_rate=_rate([r.gold_article_hit for r in results]),
        all_citations_gold_rate=_rate([r.all_gold for r in results]),
        citation_precision=mean(r.precision for r in results if r.precision is not None),
        refusal_rate=refusal_rate(refusals),
        wrong_refusal_rate=wrong_refusal_rate(refusals),
        escalation_recall=escalation_recall(escalations),
        false_escalation_rate=false_escalation_rate(escalations),
        numbers_in_cited_text_rate=_rate([r.numbers_ok for r in results if r.citations]),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        results=results,
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def render_markdown(report: AnswerReport) -> str:
    rows = [
        ("Câu hỏi", str(report.questions), ""),
        (
            "Trích dẫn bịa (không nguyên văn / sai khoản)",
            f"{report.fabricated_citations} / {report.citations}",
            "0",
        ),
        ("Có trích dẫn đúng điều luật chuẩn (đến khoản)", _pct(report.gold_citation_rate), "≥ 90%"),
        (
            "Như trên, trích nguyên điều không tính cho khoản chuẩn",
            _pct(report.gold_citation_strict_rate),
            "",
        ),
        ("Có trích dẫn đúng điều chuẩn (chỉ xét điều)", _pct(report.gold_article_rate), ""),
        ("Mọi trích dẫn đều là điều luật chuẩn", _pct(report.all_citations_gold_rate), ""),
        ("Độ chính xác trích dẫn (trung bình)", _pct(report.citation_precision), ""),
        ("Từ chối câu ngoài phạm vi", _pct(report.refusal_rate), "≥ 95%"),
        ("Từ chối nhầm câu trong phạm vi", _pct(report.wrong_refusal_rate), "≤ 5%"),
        ("Mọi con số có trong văn bản được trích", _pct(report.numbers_in_cited_text_rate), "100%"),
        ("Gợi ý gặp cán bộ (câu cần chuyển)", _pct(report.escalation_recall), ""),
        ("Gợi ý gặp cán bộ nhầm", _pct(report.false_escalation_rate), ""),
        ("Độ trễ p50 / p95", f"{report.latency_p50_ms or 0:.0f} / {report.latency_p95_ms or 0:.0f} ms", ""),
    ]
    lines = [
        f"# Đánh giá câu trả lời ({', '.join(report.datasets)})",
        "",
        "| Chỉ số | Kết quả | Mục tiêu |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    bad = [r for r in report.results if r.fabricated or not r.numbers_ok]
    if bad:
        lines += ["", "## Vi phạm", ""]
        lines += [
            f"- {r.id}: {'; '.join(r.fabricated + [f'số {n}' for n in r.missing_numbers])}" for r in bad
        ]
    return "\n".join(lines) + "\n"


def write_report(report: AnswerReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "answers.md", out / "answers.json"
    md.write_text(render_markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return [md, js]
