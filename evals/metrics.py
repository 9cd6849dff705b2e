"""Retrieval and answer metrics as pure functions.

Retrieval is judged at article level: a ranked list of hits is reduced to the unique (work, article) pairs in
rank order, each keeping the rank of its first hit. Relevance is binary. With G gold articles and the top k:

- recall@k = |G ∩ top-k| / min(|G|, k)  (the "capped" recall of BEIR, so that recall@1 can reach 1 when a
  question has several gold articles; for one gold article it is simply "found in the top k");
- MRR@k = 1 / rank of the first gold article within k, else 0;
- nDCG@k = DCG / ideal DCG with gain 1 / log2(rank + 1).

Clause-level recall is reported separately over the gold entries that name a clause.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

ArticleKey = tuple[str, int]
ClauseKey = tuple[str, int, str]


class HitLike(Protocol):
    """What a searcher returns, best first (the retrieval hits and answer citations both fit)."""

    @property
    def work_number(self) -> str: ...

    @property
    def article(self) -> int: ...


class GoldLike(Protocol):
    @property
    def work_number(self) -> str: ...

    @property
    def article(self) -> int: ...

    @property
    def clause(self) -> int | str | None: ...


def _norm_work(work_number: str) -> str:
    return work_number.strip().upper()


def article_key(item: HitLike) -> ArticleKey:
    return (_norm_work(item.work_number), int(item.article))


def clause_of(item: Any) -> str | None:
    """The clause label of a hit or gold entry as text ("3", "3a"), or None when it names no clause."""
    value = getattr(item, "clause", None)
    return None if value is None or value == "" else str(value).strip().lower()


def article_ranking(hits: Iterable[HitLike]) -> list[ArticleKey]:
    """Unique articles in rank order; a later hit on an article already seen is dropped."""
    seen: set[ArticleKey] = set()
    ranking = []
    for hit in hits:
        key = article_key(hit)
        if key not in seen:
            seen.add(key)
            ranking.append(key)
    return ranking


def gold_articles(gold: Iterable[GoldLike]) -> set[ArticleKey]:
    return {article_key(ref) for ref in gold}


def recall_at_k(ranking: Sequence[ArticleKey], gold: set[ArticleKey], k: int) -> float:
    if not gold:
        raise ValueError("recall needs at least one gold article")
    found = len(gold.intersection(ranking[:k]))
    return found / min(len(gold), k)


def reciprocal_rank(ranking: Sequence[ArticleKey], gold: set[ArticleKey], k: int) -> float:
    for rank, key in enumerate(ranking[:k], start=1):
        if key in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranking: Sequence[ArticleKey], gold: set[ArticleKey], k: int) -> float:
    if not gold:
        raise ValueError("nDCG needs at least one gold article")
    dcg = sum(1.0 / math.log2(rank + 1) for rank, key in enumerate(ranking[:k], start=1) if key in gold)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), k) + 1))
    return dcg / ideal


def clause_recall_at_k(hits: Sequence[Any], gold: Iterable[GoldLike], k: int) -> float | None:
    """Share of the clause-level gold entries matched (work, article and clause) by one of the first k hits.

    None when no gold entry names a clause: such questions are left out of the clause-level average.
    """
    wanted = {(*article_key(ref), label) for ref in gold if (label := clause_of(ref)) is not None}
    if not wanted:
        return None
    found = {(*article_key(hit), label) for hit in hits[:k] if (label := clause_of(hit)) is not None}
    return len(wanted & found) / len(wanted)


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between order statistics (numpy's default)."""
    if not 0 <= q <= 100:
        raise ValueError("q must be within [0, 100]")
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


# --- answers ---------------------------------------------------------------------------------------------


def citation_matches(citation: Any, gold: Iterable[GoldLike]) -> bool:
    """A citation matches a gold entry when work and article agree, and the clause too where the gold gives
    one and the citation names one (a citation of the whole article covers its clauses)."""
    key = article_key(citation)
    label = clause_of(citation)
    for ref in gold:
        if article_key(ref) != key:
            continue
        wanted = clause_of(ref)
        if wanted is None or label is None or wanted == label:
            return True
    return False


def citation_matches_strictly(citation: Any, gold: Iterable[GoldLike]) -> bool:
    """Like ``citation_matches``, but a citation of a whole article covers only gold that names no clause: the
    strict reading, reported beside the other so that quoting whole articles cannot raise it."""
    key = article_key(citation)
    label = clause_of(citation)
    return any(
        article_key(ref) == key and (clause_of(ref) is None or clause_of(ref) == label) for ref in gold
    )


def citation_precision(citations: Sequence[Any], gold: Sequence[GoldLike]) -> float | None:
    """Share of an answer's citations that are gold provisions; None for an answer without citations."""
    if not citations:
        return None
    return sum(citation_matches(c, gold) for c in citations) / len(citations)


def all_citations_gold(citations: Sequence[Any], gold: Sequence[GoldLike]) -> bool:
    """True when the answer cites something and every citation is a gold provision."""
    return bool(citations) and all(citation_matches(c, gold) for c in citations)


def refusal_rate(outcomes: Iterable[tuple[str, bool]]) -> float | None:
    """Share of refuse-questions that were refused. ``outcomes`` are (expects, refused) pairs."""
    return mean(float(refused) for expects, refused in outcomes if expects == "refuse")


def wrong_refusal_rate(outcomes: Iterable[tuple[str, bool]]) -> float | None:
    """Share of in-scope questions (expects "answer" or "escalate") that were refused."""
    return mean(float(refused) for expects, refused in outcomes if expects != "refuse")


def escalation_recall(outcomes: Iterable[tuple[str, bool]]) -> float | None:
    """Share of escalate-questions flagged for a human. ``outcomes`` are (expects, escalation suggested)."""
    return mean(float(flagged) for expects, flagged in outcomes if expects == "escalate")


def false_escalation_rate(outcomes: Iterable[tuple[str, bool]]) -> float | None:
    """Share of plain answer-questions flagged for a human."""
    return mean(float(flagged) for expects, flagged in outcomes if expects == "answer")
