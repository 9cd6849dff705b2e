"""``make adapter``: learn the question adapter from our own question sets, on the whole shared corpus.

    python -m evals.train_adapter                  # train on ADAPTER_SETS, write assistant/data/query_adapter.npz
    python -m evals.train_adapter --cross-validate # leave each set out in turn: top-1 article with and without

Only the project's own sets are learned from. The two shared sets (levietsangg, mrhao165) and the held-out
sets are never used, so their figures measure questions the adapter has not seen.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress

from assistant.retrieval.filters import SearchFilter
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.query_adapter import BUNDLED, QueryAdapter
from evals import adapter_training
from evals.corpus_env import DEFAULT_DIR, corpus_platform
from evals.datasets import EvalQuestion, load_datasets
from evals.metrics import article_key, gold_articles

ADAPTER_SETS = ("own", "slangdev", "slangdev2", "slangdev3", "scopedev")
# Also reported by --cross-validate: sets the adapter never learns from.
UNSEEN_SETS = ("levietsangg", "mrhao165")
DENSE_CONFUSABLE = 100
LEXICAL_CONFUSABLE = 50
console = Console(stderr=True)


def examples_for(
    retriever: HybridRetriever, questions: Sequence[EvalQuestion]
) -> list[adapter_training.Example]:
    """Each question as search sees it (shorthand written out, marks restored), against the corpus' chunks."""
    table = retriever.table
    assert table.vectors is not None and retriever.dense is not None
    rows: dict[tuple[str, int], list[int]] = {}
    for row, chunk in enumerate(table.chunks):
        rows.setdefault(article_key(chunk), []).append(row)
    found = []
    for question in questions:
        if not question.gold or question.expects == "refuse":
            continue
        search_filter = SearchFilter.build(question.as_of, None)
        allowed = table.mask(search_filter)
        query = retriever.lexicon.spell_out(question.question)
        vector = np.asarray(retriever.dense.embedding.embed_query(retriever.dense_query(query)), dtype=np.float32)
        positives = [r for key in gold_articles(question.gold) for r in rows.get(key, []) if allowed[r]]
        scores = np.where(allowed, table.vectors @ vector, -np.inf)
        dense = np.argsort(-scores)[:DENSE_CONFUSABLE].tolist()
        lexical = [r for r, _ in retriever.lexical.search(retriever.lexicon.expand(query), LEXICAL_CONFUSABLE, allowed)]
        item = adapter_training.example(vector, positives, [*dense, *lexical])
        if item is not None:
            found.append(item)
    return found


def top1_articles(retriever: HybridRetriever, questions: Sequence[EvalQuestion]) -> float:
    """Share of the questions whose first hit is a gold article (the chain's first citation)."""
    scored = [q for q in questions if q.gold and q.expects != "refuse"]
    right = 0
    for question in scored:
        hits = retriever.search(question.question, k=1, as_of=question.as_of)
        right += bool(hits) and article_key(hits[0]) in gold_articles(question.gold)
    return right / max(len(scored), 1)


def fit(examples: list[adapter_training.Example], passages: np.ndarray, label: str) -> np.ndarray:
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(label, total=adapter_training.EPOCHS)
        return adapter_training.train(
            examples, passages, progress=lambda done, _total: bar.update(task, completed=done)
        )


def cross_validate(retriever: HybridRetriever, sets: Sequence[str]) -> list[tuple[str, int, float, float]]:
    """Leave each set out, learn from the others, and compare top-1 article on it without and with."""
    assert retriever.table.vectors is not None
    by_set = {name: load_datasets([name]) for name in sets}
    examples = {name: examples_for(retriever, questions) for name, questions in by_set.items()}
    rows = []
    for name in [*sets, "unseen"]:
        questions = by_set[name] if name != "unseen" else load_datasets(list(UNSEEN_SETS))
        learned = [e for other, items in examples.items() if other != name for e in items]
        matrix = fit(learned, retriever.table.vectors, f"Học bỏ {name} ra")
        retriever.adapter = None
        before = top1_articles(retriever, questions)
        retriever.adapter = QueryAdapter(matrix, retriever.dense.embedding.model_id if retriever.dense else "")
        after = top1_articles(retriever, questions)
        rows.append((name, sum(1 for q in questions if q.gold and q.expects != "refuse"), before, after))
    retriever.adapter = None
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Học ma trận điều chỉnh câu hỏi (query adapter)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=BUNDLED)
    parser.add_argument("--cross-validate", action="store_true")
    args = parser.parse_args(argv)
    # Learned against e5 alone: the adapter in use must not shape its own training data.
    platform = corpus_platform(args.data_dir, console=console, embedding={"query_adapter": "none"})
    retriever = platform.search.retriever
    assert retriever.table.vectors is not None and retriever.dense is not None
    if args.cross_validate:
        print("| bộ bỏ ra | câu | đúng điều đầu tiên, không điều chỉnh | có điều chỉnh |\n|---|---|---|---|")
        for name, count, before, after in cross_validate(retriever, ADAPTER_SETS):
            print(f"| {name} | {count} | {before:.3f} | {after:.3f} |")
    else:
        examples = examples_for(retriever, load_datasets(list(ADAPTER_SETS)))
        matrix = fit(examples, retriever.table.vectors, "Học ma trận điều chỉnh")
        info = {
            "sets": list(ADAPTER_SETS),
            "questions": len(examples),
            "chunks": len(retriever.table.chunks),
            "temperature": adapter_training.TEMPERATURE,
            "pull": adapter_training.PULL,
            "learning_rate": adapter_training.LEARNING_RATE,
            "epochs": adapter_training.EPOCHS,
        }
        QueryAdapter(matrix, retriever.dense.embedding.model_id, info).save(args.out)
        shift = np.abs(matrix - np.eye(len(matrix))).max()
        console.print(f"Đã ghi {args.out} ({len(examples)} câu hỏi, lệch tối đa {shift:.4f})")
    platform.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
