"""Metrics against values computed by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from evals.metrics import (
    all_citations_gold,
    article_ranking,
    citation_matches,
    citation_matches_strictly,
    citation_precision,
    clause_recall_at_k,
    escalation_recall,
    false_escalation_rate,
    gold_articles,
    mean,
    ndcg_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank,
    refusal_rate,
    wrong_refusal_rate,
)

BLLD = "45/2019/QH14"
CD = "50/2024/QH15"


@dataclass(frozen=True)
class Ref:
    work_number: str
    article: int
    clause: int | str | None = None


def test_article_ranking_keeps_first_rank_of_each_article() -> None:
    hits = [Ref(BLLD, 35, 1), Ref(BLLD, 36), Ref(BLLD, 35, 2), Ref(CD, 21), Ref(BLLD, 36, 1)]
    assert article_ranking(hits) == [(BLLD, 35), (BLLD, 36), (CD, 21)]


def test_work_numbers_compare_case_insensitively() -> None:
    assert article_ranking([Ref("145/2020/nđ-cp", 8)]) == [("145/2020/NĐ-CP", 8)]


def test_recall_single_gold() -> None:
    ranking = [(BLLD, 1), (BLLD, 2), (BLLD, 3)]
    gold = {(BLLD, 2)}
    assert recall_at_k(ranking, gold, 1) == 0.0
    assert recall_at_k(ranking, gold, 2) == 1.0
    assert recall_at_k(ranking, gold, 10) == 1.0


def test_recall_is_capped_by_k_for_several_gold_articles() -> None:
    ranking = [(BLLD, 2), (BLLD, 9), (BLLD, 3), (BLLD, 4)]
    gold = {(BLLD, 2), (BLLD, 3), (BLLD, 7)}
    assert recall_at_k(ranking, gold, 1) == 1.0  # 1 found / min(3, 1)
    assert recall_at_k(ranking, gold, 2) == 0.5  # 1 / min(3, 2)
    assert recall_at_k(ranking, gold, 3) == pytest.approx(2 / 3)
    assert recall_at_k(ranking, gold, 10) == pytest.approx(2 / 3)


def test_recall_without_gold_is_an_error() -> None:
    with pytest.raises(ValueError):
        recall_at_k([(BLLD, 1)], set(), 5)


def test_reciprocal_rank() -> None:
    ranking = [(BLLD, 1), (BLLD, 2), (BLLD, 3)]
    assert reciprocal_rank(ranking, {(BLLD, 3)}, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranking, {(BLLD, 3), (BLLD, 2)}, 10) == 0.5
    assert reciprocal_rank(ranking, {(BLLD, 3)}, 2) == 0.0
    assert reciprocal_rank(ranking, {(CD, 3)}, 10) == 0.0


def test_ndcg_hand_computed() -> None:
    # Gold at ranks 2 and 4 of two gold articles: DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3).
    ranking = [(BLLD, 1), (BLLD, 2), (BLLD, 3), (BLLD, 4)]
    gold = {(BLLD, 2), (BLLD, 4)}
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(ranking, gold, 10) == pytest.approx(expected)
    assert expected == pytest.approx(0.6509, abs=1e-4)
    assert ndcg_at_k(ranking, gold, 1) == 0.0
    assert ndcg_at_k([(BLLD, 2), (BLLD, 4)], gold, 10) == pytest.approx(1.0)


def test_gold_articles_merge_clauses_of_one_article() -> None:
    gold = [Ref(BLLD, 35, 1), Ref(BLLD, 35, 2), Ref(CD, 21)]
    assert gold_articles(gold) == {(BLLD, 35), (CD, 21)}


def test_clause_recall() -> None:
    gold = [Ref(BLLD, 35, 1), Ref(BLLD, 35, 2), Ref(BLLD, 36)]
    hits = [Ref(BLLD, 35, 2), Ref(BLLD, 36, 1), Ref(BLLD, 35, "1")]
    assert clause_recall_at_k(hits, gold, 1) == 0.5
    assert clause_recall_at_k(hits, gold, 3) == 1.0
    assert clause_recall_at_k([Ref(BLLD, 35)], gold, 5) == 0.0  # an article-level hit names no clause
    assert clause_recall_at_k(hits, [Ref(BLLD, 36)], 5) is None
    assert clause_recall_at_k([Ref(BLLD, 66, "3A")], [Ref(BLLD, 66, "3a")], 1) == 1.0


def test_mean_and_percentile() -> None:
    assert mean([]) is None
    assert mean([1.0, 2.0, 6.0]) == 3.0
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 95) == pytest.approx(48.0)  # 40 + 0.8 * 10
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_citation_matching_respects_clauses() -> None:
    gold = [Ref(BLLD, 35, 1), Ref(CD, 21)]
    assert citation_matches(Ref(BLLD, 35, 1), gold)
    assert citation_matches(Ref(BLLD, 35), gold)  # the whole article covers its clause
    assert not citation_matches(Ref(BLLD, 35, 2), gold)
    assert citation_matches(Ref(CD, 21, 6), gold)  # the gold names no clause
    assert not citation_matches(Ref(CD, 22), gold)


def test_strict_citation_matching_does_not_let_a_whole_article_stand_for_a_clause() -> None:
    gold = [Ref(BLLD, 35, 1), Ref(CD, 21)]
    assert citation_matches_strictly(Ref(BLLD, 35, 1), gold)
    assert not citation_matches_strictly(Ref(BLLD, 35), gold)
    assert citation_matches_strictly(Ref(CD, 21), gold) and citation_matches_strictly(Ref(CD, 21, 6), gold)
    assert not citation_matches_strictly(Ref(BLLD, 36, 1), gold)


def test_citation_precision() -> None:
    gold = [Ref(BLLD, 35, 1)]
    citations = [Ref(BLLD, 35, 1), Ref(BLLD, 36, 2), Ref(BLLD, 35), Ref(BLLD, 37)]
    assert citation_precision(citations, gold) == 0.5
    assert citation_precision([], gold) is None
    assert not all_citations_gold(citations, gold)
    assert all_citations_gold(citations[:1], gold)
    assert not all_citations_gold([], gold)


def test_refusal_and_escalation_rates() -> None:
    refused = [("refuse", True), ("refuse", True), ("refuse", False), ("answer", False), ("answer", True),
               ("escalate", False), ("answer", False), ("escalate", False)]
    assert refusal_rate(refused) == pytest.approx(2 / 3)
    assert wrong_refusal_rate(refused) == pytest.approx(1 / 5)
    assert refusal_rate([("answer", False)]) is None
    flagged = [("escalate", True), ("escalate", False), ("answer", True), ("answer", False), ("refuse", True)]
    assert escalation_recall(flagged) == 0.5
    assert false_escalation_rate(flagged) == 0.5
