"""Run every searcher over the same questions and summarise retrieval quality and latency.

Each searcher is a plain callable ``(question, k, as_of) -> hits`` (best first), so the hybrid search and its
BM25-only and dense-only baselines are measured in one run, on the same questions, on the same machine.
Questions without gold (refusals, requests for a human) are skipped: they have nothing to retrieve.

Besides the style breakdown as written (questions typed with / without diacritics), every question written
with diacritics is also asked a second time with its diacritics stripped: "paired_original" and
"paired_folded" compare the very same questions, which is the fair test of accent-insensitive search.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from assistant.vietnamese import fold
from evals.datasets import EvalQuestion
from evals.metrics import (
    ArticleKey,
    HitLike,
    article_ranking,
    clause_recall_at_k,
    gold_articles,
    mean,
    ndcg_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank,
)

Searcher = Callable[[str, int, date | None], Sequence[HitLike]]

ALL = "all"
SUBSETS = ("all", "diacritics", "no_diacritics", "paired_original", "paired_folded")
DEFAULT_CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class QueryResult:
    """One searcher on one question (``variant`` "folded" is the question with its diacritics stripped)."""

    searcher: str
    dataset: str
    question_id: str
    style: str
    variant: str
    query: str
    latency_ms: float
    ranking: tuple[ArticleKey, ...]
    recall: dict[int, float]
    mrr: float
    ndcg: float
    clause_recall: dict[int, float | None]


@dataclass(frozen=True)
class Summary:
    searcher: str
    dataset: str
    subset: str
    n: int
    recall: dict[int, float | None]
    mrr: float | None
    ndcg: float | None
    clause_recall: dict[int, float | None]
    clause_n: int
    latency_p50_ms: float | None
    latency_p95_ms: float | None


@dataclass
class RetrievalReport:
    k: int
    cutoffs: tuple[int, ...]
    searchers: list[str]
    datasets: list[str]
    rows: list[Summary]
    results: list[QueryResult] = field(repr=False)
    skipped: int = 0
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def row(self, searcher: str, dataset: str = ALL, subset: str = "all") -> Summary | None:
        for row in self.rows:
            if (row.searcher, row.dataset, row.subset) == (searcher, dataset, subset):
                return row
        return None

    def to_dict(self, *, with_results: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "k": self.k,
            "cutoffs": list(self.cutoffs),
            "searchers": self.searchers,
            "datasets": self.datasets,
            "skipped_without_gold": self.skipped,
            "created_at": self.created_at,
            "rows": [asdict(row) for row in self.rows],
        }
        if with_results:
            data["results"] = [asdict(result) for result in self.results]
        return data


def _run_one(
    searcher: Searcher, name: str, question: EvalQuestion, query: str, variant: str,
    k: int, cutoffs: tuple[int, ...], clock: Callable[[], float],
) -> QueryResult:
    started = clock()
    hits = list(searcher(query, k, question.as_of))
    latency_ms = (clock() - started) * 1000
    ranking = article_ranking(hits)[:k]
    gold = gold_articles(question.gold)
    return QueryResult(
        searcher=name,
        dataset=question.dataset,
        question_id=question.id,
        style=question.style,
        variant=variant,
        query=query,
        latency_ms=latency_ms,
        ranking=tuple(ranking),
        recall={c: recall_at_k(ranking, gold, c) for c in cutoffs},
        mrr=reciprocal_rank(ranking, gold, k),
        ndcg=ndcg_at_k(ranking, gold, k),
        clause_recall={c: clause_recall_at_k(hits[:k], question.gold, c) for c in cutoffs},
    )


def _summary(
    searcher: str, dataset: str, subset: str, results: Sequence[QueryResult], cutoffs: tuple[int, ...]
) -> Summary:
    latencies = [r.latency_ms for r in results]
    clause_scores = {c: [s for r in results if (s := r.clause_recall[c]) is not None] for c in cutoffs}
    return Summary(
        searcher=searcher,
        dataset=dataset,
        subset=subset,
        n=len(results),
        recall={c: mean(r.recall[c] for r in results) for c in cutoffs},
        mrr=mean(r.mrr for r in results),
        ndcg=mean(r.ndcg for r in results),
        clause_recall={c: mean(scores) for c, scores in clause_scores.items()},
        clause_n=len(clause_scores[cutoffs[-1]]),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )


def _subset(results: Iterable[QueryResult], subset: str) -> list[QueryResult]:
    originals = [r for r in results if r.variant == "original"]
    if subset == "all":
        return originals
    if subset in ("diacritics", "no_diacritics"):
        return [r for r in originals if r.style == subset]
    folded = [r for r in results if r.variant == "folded"]
    if subset == "paired_folded":
        return folded
    paired_ids = {(r.dataset, r.question_id) for r in folded}
    return [r for r in originals if (r.dataset, r.question_id) in paired_ids]


def summarise(
    results: Sequence[QueryResult],
    searchers: Sequence[str],
    datasets: Sequence[str],
    cutoffs: tuple[int, ...],
) -> list[Summary]:
    """One row per searcher × dataset × subset, plus a pooled dataset ``"all"`` when there are several."""
    groups = [*datasets, ALL] if len(datasets) > 1 else list(datasets)
    rows = []
    for searcher in searchers:
        mine = [r for r in results if r.searcher == searcher]
        for dataset in groups:
            scoped = mine if dataset == ALL else [r for r in mine if r.dataset == dataset]
            for subset in SUBSETS:
                chosen = _subset(scoped, subset)
                if chosen:
                    rows.append(_summary(searcher, dataset, subset, chosen, cutoffs))
    return rows


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )


def evaluate_retrieval(
    questions: Sequence[EvalQuestion],
    searchers: Mapping[str, Searcher],
    k: int = 10,
    progress: bool = True,
    *,
    fold_pairs: bool = True,
    warmup: int = 1,
    cutoffs: Sequence[int] = DEFAULT_CUTOFFS,
    clock: Callable[[], float] = time.perf_counter,
) -> RetrievalReport:
    """Ask every question of every searcher and summarise.

    ``warmup`` questions are asked of each searcher once, untimed, before measuring, so that p50/p95
    describe a warm service (lazy model loading would otherwise land in the first query).
    """
    if not searchers:
        raise ValueError("no searcher to evaluate")
    used_cutoffs = tuple(sorted({c for c in cutoffs if c <= k} | {k}))
    scored = [q for q in questions if q.gold]
    datasets = list(dict.fromkeys(q.dataset for q in scored))
    jobs = [(q, q.question, "original") for q in scored]
    if fold_pairs:
        jobs += [(q, fold(q.question), "folded") for q in scored if q.style == "diacritics"]
    results: list[QueryResult] = []
    with _progress(progress) as bar:
        for name, searcher in searchers.items():
            for question in scored[:warmup]:
                searcher(question.question, k, question.as_of)
            task = bar.add_task(f"Tìm kiếm · {name}", total=len(jobs))
            for question, query, variant in jobs:
                results.append(_run_one(searcher, name, question, query, variant, k, used_cutoffs, clock))
                bar.advance(task)
    return RetrievalReport(
        k=k,
        cutoffs=used_cutoffs,
        searchers=list(searchers),
        datasets=datasets,
        rows=summarise(results, list(searchers), datasets, used_cutoffs),
        results=results,
        skipped=len(questions) - len(scored),
    )
