"""Search latency, warm, on the whole shared corpus: the path `congdoan search` and the API take,
query embedding included."""

from __future__ import annotations

import resource
import statistics
import time
from datetime import date
from typing import Any

from evals.corpus_env import corpus_platform
from evals.datasets import load_datasets


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(report: dict[str, Any]) -> None:
    started = time.perf_counter()
    platform = corpus_platform()
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    retriever = platform.search.index.load()
    load_seconds = time.perf_counter() - started
    questions = list(dict.fromkeys(q.question for q in load_datasets(["own", "levietsangg", "mrhao165"])))
    for warm in ("người lao động", "hợp đồng", "bảo hiểm", "công đoàn", "tiền lương"):
        retriever.search(warm, k=10)  # warm-up text outside the measured set: no query-cache hits
    today = date.today()
    timings: list[float] = []
    for question in questions:
        t0 = time.perf_counter()
        retriever.search(question, k=10, as_of=today)
        timings.append((time.perf_counter() - t0) * 1000)
    report["search"] = {
        "queries": len(timings),
        "chunks_indexed": platform.search.index.counts()["lexical"],
        "corpus_ready_seconds": round(prepared, 1),
        "index_load_seconds": round(load_seconds, 2),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    platform.close()
