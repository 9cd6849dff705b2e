"""``make train-reranker``: fit the article reranker (assistant/data/reranker.json) on the colloquial tuning sets.

Each in-scope tuning question is searched on the whole shared corpus with a query adapter fitted on the other
tuning sets and a question bank built from the others (its own set left out of both), so the weights learn how far
the adapter's cosines and the bank's words can be trusted on questions they have not seen, as in use. The
candidates are the articles search would reorder, the target its gold articles.
Before the final fit, each set is left out in turn and scored (gold article ranked first) by weights fitted on the
others; those figures are printed and stored in the file. The development sets and the current held-out sets are
never read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track

from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.question_bank import QuestionTerms, parse_bank, question_tokens, tokenize_bank
from assistant.retrieval.reranker import DEFAULT_PATH, ArticleReranker, feature_matrix, fit
from evals.corpus_env import DEFAULT_DIR, corpus_platform
from evals.datasets import load_dataset
from evals.export_question_bank import BANK_SETS, bank_lines
from evals.train_adapter import TRAINING_SETS, training_data

# L2 penalty of the fit. Left out in turn on the twelve tuning sets (gold article ranked first, 1,630 questions):
# 69.1% at 0.1, 69.2% at 1, 68.4% at 10, 67.2% at 50, against 68.0% for search's own order.
L2 = 1.0
console = Console(stderr=True)

Lists = list[tuple[np.ndarray, np.ndarray]]


def first_rate(lists: Lists, weights: np.ndarray | None) -> float:
    """Share of lists whose first article is a gold one (by ``weights``, or in the given order)."""
    if not lists:
        return 0.0
    hits = 0
    for features, gold in lists:
        first = 0 if weights is None else int(np.argmax(features @ weights))
        hits += bool(len(gold)) and bool(gold[first])
    return round(hits / len(lists), 3)


def left_out(lists: Lists, sets: Sequence[str]) -> dict[str, dict[str, float]]:
    """Each set's first-article rate in search's order and with weights fitted on the other sets."""
    names = np.asarray(sets)
    figures = {}
    for name in sorted(set(sets)):
        held = [item for item, own in zip(lists, names == name, strict=True) if own]
        weights = fit([item for item, own in zip(lists, names == name, strict=True) if not own], L2)
        figures[name] = {"first_before": first_rate(held, None), "first_after": first_rate(held, weights),
                         "questions": len(held)}
    return figures


def bank_without(retriever: HybridRetriever, name: str, clause_weight: float) -> QuestionTerms | None:
    """The question bank as shipped, without the questions of tuning set ``name`` (None when there is no bank)."""
    terms = retriever.question_terms
    if terms is None:
        return None
    questions = [q for other in BANK_SETS if other != name for q in load_dataset(other)]
    entries = parse_bank(bank_lines(questions), f"bank without {name}")
    tokenized = tokenize_bank(entries, question_tokens(retriever.lexicon))
    similar = terms.similar
    return QuestionTerms.build(
        retriever.table.chunks,
        tokenized,
        terms.weight,
        clause_weight,
        similar.weight if similar else 0.0,
        similar.neighbours if similar else 0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Huấn luyện bộ xếp hạng lại các điều luật tìm được")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    platform = corpus_platform(args.data_dir, console=console)
    search = platform.search
    retriever = search.retriever
    data = training_data(search)
    adapters = {name: data.adapter_without(name, search.embedding_model) for name in sorted(set(data.sets))}
    clause_weight = platform.settings.question_bank_clause_weight
    banks = {name: bank_without(retriever, name, clause_weight) for name in sorted(set(data.sets))}
    shipped, shipped_reranker, shipped_bank = retriever.adapter, retriever.reranker, retriever.question_terms
    retriever.reranker = None
    lists: Lists = []
    sets: list[str] = []
    try:
        for question in track(data.questions, description="Tìm điều luật ứng viên", console=console):
            retriever.adapter = adapters[question.dataset]
            retriever.question_terms = banks[question.dataset]
            candidates = retriever.article_candidates(question.question, as_of=question.as_of)
            if not candidates:
                continue
            gold = {(g.work_number, g.article) for g in question.gold}
            lists.append((feature_matrix([e for _, e in candidates]), np.array([k in gold for k, _ in candidates])))
            sets.append(question.dataset)
    finally:
        retriever.adapter, retriever.reranker, retriever.question_terms = shipped, shipped_reranker, shipped_bank
    figures = left_out(lists, sets)
    weights = fit(lists, L2)
    reranker = ArticleReranker(
        embedding_model=search.embedding_model,
        weights=weights,
        about={
            "trained": date.today().isoformat(),
            "sets": list(TRAINING_SETS),
            "questions": len(lists),
            "l2": L2,
            "first_before": first_rate(lists, None),
            "left_out_each_set": figures,
        },
    )
    reranker.save(args.out)
    platform.close()
    console.print(f"Đã ghi {args.out}: {len(lists)} câu hỏi")
    before = sum(f["first_before"] * f["questions"] for f in figures.values()) / max(len(lists), 1)
    after = sum(f["first_after"] * f["questions"] for f in figures.values()) / max(len(lists), 1)
    console.print(f"  điều chuẩn xếp đầu (mỗi bộ để riêng): {before:.3f} → {after:.3f}")
    for name, row in figures.items():
        console.print(f"  {name}: {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
