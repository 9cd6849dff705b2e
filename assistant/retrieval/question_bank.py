"""The words workers used for each provision: earlier questions, indexed as a second text of the chunks that
answer them (document expansion).

The law says "người sử dụng lao động đơn phương chấm dứt hợp đồng"; a worker writes "cty đuổi e ko báo trước".
The question bank (``assistant/data/question_bank.jsonl``, written by ``make question-bank`` from the tuning
sets and the retired held-out sets) pairs questions written the way workers ask with the provisions that answer
them. Each chunk gets a second BM25 document made of the questions it answers, and that score, times ``weight``,
is added to the chunk's own BM25 score. The development sets and the current held-out sets never feed it, so they
stay unseen.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import bm25s
import numpy as np

from assistant.retrieval.chunks import Chunk
from assistant.vietnamese import Lexicon, index_tokens

log = logging.getLogger(__name__)

BANK_FILE = "data/question_bank.jsonl"
# Chosen with the bank of the eighteenth session (6,460 questions): the tuning sets, slangdev13-23 and the retired
# held-out sets, each left out in turn and answered with a bank built from the others (gold clause cited, 6,384
# questions): 85.3% at 0.3 (clause weight 0.3), 85.7% at 0.4, 85.9% at 0.5; with clause weight 0.5: 86.3% at 0.4,
# 86.5% at 0.5; with 0.8: 86.7% at 0.5, 86.9% at 0.6; 0.5 with 1.2: 86.9%, but the development sets lost two (363 of
# 404, against 365). With the first bank (2,872 questions, seventeenth session) 0.2 and 0.3 had been best. See README
# "Search".
DEFAULT_WEIGHT = 0.6
DEFAULT_CLAUSE_WEIGHT = 0.8
# The vote of the bank's questions most like a new one, added to the article reranker's scores (whose top two
# articles are a median 3.3 apart). Chosen likewise (6,383 answered questions, weights above): 86.9% without it; with
# five neighbours 87.8% at 4, 88.5% at 8, 88.5% at 16; at 8 with ten / five / three / two neighbours 88.0 / 88.5 /
# 88.7 / 88.9%; two at 4: 88.4%. At 8 the development sets' questions, worded like the law, lost their first article
# to it (retrieval MRR@10 0.938 → 0.896, levietsangg 0.920 → 0.845); at 4, 0.923 and 0.892. See README "Search".
DEFAULT_VOTE_WEIGHT = 4.0
DEFAULT_NEIGHBOURS = 2

ProvisionKey = tuple[str, int, str | None]
ArticleKey = tuple[str, int]


@dataclass(frozen=True)
class BankEntry:
    question: str
    provisions: tuple[ProvisionKey, ...]


class QuestionBankError(ValueError):
    """A bank line that cannot be read (the message names the file and line)."""


def _provision(item: object, where: str) -> ProvisionKey:
    if not isinstance(item, dict) or "work_number" not in item or "article" not in item:
        raise QuestionBankError(f"{where}: mỗi điều luật cần có work_number và article")
    clause = item.get("clause")
    try:
        article = int(item["article"])
    except (TypeError, ValueError) as exc:
        raise QuestionBankError(f"{where}: số điều không hợp lệ: {item['article']!r}") from exc
    return (str(item["work_number"]).strip().upper(), article, None if clause in (None, "") else str(clause).lower())


def parse_bank(lines: Iterable[str], source: str) -> list[BankEntry]:
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}, dòng {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionBankError(f"{where}: không phải JSON ({exc.msg})") from exc
        question = str(data.get("question", "")).strip() if isinstance(data, dict) else ""
        provisions = data.get("provisions") if isinstance(data, dict) else None
        if not question or not isinstance(provisions, list) or not provisions:
            raise QuestionBankError(f"{where}: cần có 'question' và danh sách 'provisions'")
        entries.append(BankEntry(question, tuple(_provision(p, where) for p in provisions)))
    return entries


def load_bank(path: Path | None = None) -> list[BankEntry]:
    """The bank at ``path``, or the one shipped with the package."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QuestionBankError(
                f"Không đọc được bộ câu hỏi mẫu {path}: kiểm tra đường dẫn CONGDOAN_QUESTION_BANK_PATH và mã hóa UTF-8"
                f" ({exc.__class__.__name__})"
            ) from exc
        return parse_bank(text.splitlines(), str(path))
    text = resources.files("assistant").joinpath(BANK_FILE).read_text(encoding="utf-8")
    return parse_bank(text.splitlines(), BANK_FILE)


def chunk_rows(chunks: Sequence[Chunk]) -> dict[ProvisionKey, list[int]]:
    """Rows of each clause chunk, and of each article's unsplit chunk under (work, article, None)."""
    rows: dict[ProvisionKey, list[int]] = {}
    for row, chunk in enumerate(chunks):
        work = chunk.work_number.strip().upper()
        clause = None if chunk.clause is None else str(chunk.clause).lower()
        rows.setdefault((work, chunk.article, clause), []).append(row)
    return rows


class SimilarQuestions:
    """The bank's questions one by one: the few most like a new question (BM25) vote for the articles that answer
    them, each by its score. Gathering a provision's questions into one text (QuestionTerms) hears what many
    questions share; this hears the one question asked before almost word for word."""

    def __init__(
        self, model: bm25s.BM25, articles: list[frozenset[ArticleKey]], neighbours: int, weight: float
    ) -> None:
        self.model = model
        self.vocab: dict[str, int] = dict(model.vocab_dict)
        self.articles = articles
        self.neighbours = neighbours
        self.weight = weight

    @classmethod
    def build(
        cls,
        tokenized: Sequence[tuple[Sequence[str], Sequence[ProvisionKey]]],
        weight: float = DEFAULT_VOTE_WEIGHT,
        neighbours: int = DEFAULT_NEIGHBOURS,
    ) -> SimilarQuestions | None:
        kept = [(tokens, provisions) for tokens, provisions in tokenized if tokens and provisions]
        if not kept or weight <= 0 or neighbours <= 0:
            return None
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([list(tokens) for tokens, _ in kept], show_progress=False)
        articles = [frozenset((work, article) for work, article, _ in provisions) for _, provisions in kept]
        return cls(model, articles, neighbours, weight)

    def votes(self, tokens: Sequence[str]) -> dict[ArticleKey, float]:
        """``weight`` × each article's share of the votes of the ``neighbours`` questions most like ``tokens``."""
        known = [t for t in tokens if t in self.vocab]
        if not known:
            return {}
        scores = np.asarray(self.model.get_scores(known), dtype=np.float64)
        count = min(self.neighbours, len(scores))
        tally: dict[ArticleKey, float] = {}
        for position in np.argpartition(-scores, count - 1)[:count]:
            score = float(scores[position])
            if score > 0:
                for key in self.articles[int(position)]:
                    tally[key] = tally.get(key, 0.0) + score
        total = sum(tally.values())
        return {key: self.weight * value / total for key, value in tally.items()} if total else {}


class QuestionTerms:
    """BM25 over the bank's questions gathered by chunk row (rows without a question score 0), and the questions
    one by one (``similar``)."""

    def __init__(
        self,
        model: bm25s.BM25,
        weight: float,
        clause_terms: dict[int, list[tuple[str, dict[str, float]]]] | None = None,
        similar: SimilarQuestions | None = None,
    ) -> None:
        self.model = model
        self.similar = similar
        self.vocab: dict[str, int] = dict(model.vocab_dict)
        self.weight = weight
        # Row of a whole-article chunk → its clauses, each with the BM25 score of every word of its questions
        # (clause weight applied): a question's score for a clause is the sum over its words, as BM25 sums them.
        self.clause_terms = clause_terms or {}

    @classmethod
    def build(
        cls,
        chunks: Sequence[Chunk],
        tokenized: Sequence[tuple[Sequence[str], Sequence[ProvisionKey]]],
        weight: float = DEFAULT_WEIGHT,
        clause_weight: float = DEFAULT_CLAUSE_WEIGHT,
        vote_weight: float = DEFAULT_VOTE_WEIGHT,
        neighbours: int = DEFAULT_NEIGHBOURS,
    ) -> QuestionTerms | None:
        """``tokenized``: each question's tokens (as search tokenizes a question) with its provisions. A
        provision whose clause is not a chunk of its own lends its words to the article's unsplit chunk, and
        to that clause within it (``clause_scores``)."""
        if not chunks or not tokenized or weight <= 0:
            return None
        rows = chunk_rows(chunks)
        documents: list[list[str]] = [[] for _ in chunks]
        inside: dict[tuple[int, str], list[str]] = {}
        placed = 0
        for tokens, provisions in tokenized:
            for work, article, clause in provisions:
                targets = rows.get((work, article, clause))
                if not targets:
                    targets = rows.get((work, article, None), [])
                    if clause is not None:
                        for row in targets:
                            inside.setdefault((row, clause), []).extend(tokens)
                for row in targets:
                    documents[row].extend(tokens)
                placed += bool(targets)
        if not placed:
            return None
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([d or [""] for d in documents], show_progress=False)
        clause_terms = _clause_terms(inside, clause_weight, chunks) if inside and clause_weight > 0 else None
        return cls(model, weight, clause_terms, SimilarQuestions.build(tokenized, vote_weight, neighbours))

    def clause_scores(self, tokens: Sequence[str], row: int) -> dict[str, float]:
        """For a chunk that holds a whole article: clause weight × BM25 of the bank's questions about each of its
        clauses, by clause label, from the question's words that the article's own text does not use (those the
        question's words reach)."""
        found = {}
        for clause, terms in self.clause_terms.get(row, ()):
            score = sum(terms.get(token, 0.0) for token in tokens)
            if score > 0:
                found[clause] = score
        return found

    def article_votes(self, tokens: Sequence[str]) -> dict[ArticleKey, float]:
        """What the most similar earlier questions say (see SimilarQuestions); empty without them."""
        return self.similar.votes(tokens) if self.similar is not None else {}

    def scores(self, tokens: Sequence[str]) -> np.ndarray | None:
        """``weight`` × BM25 of each chunk's questions, or None when no token of the question is in the bank."""
        known = [t for t in tokens if t in self.vocab]
        if not known:
            return None
        return self.weight * np.asarray(self.model.get_scores(known), dtype=np.float32)


def _clause_terms(
    inside: dict[tuple[int, str], list[str]], weight: float, chunks: Sequence[Chunk]
) -> dict[int, list[tuple[str, dict[str, float]]]]:
    """BM25 over the questions of each (row, clause), as the score of each of its words (bm25s stores them so),
    without the words of the article's own text: those already chose its clause. With them the bank overruled
    questions in the law's words ("tỷ lệ đóng bảo hiểm xã hội tự nguyện" quoted the compulsory rate, which workers
    ask about more often): development sets 363 → 358 gold clauses; without them 363 → 363, and the tuning sets
    gain alike (82.9% → 85.3% and 85.2%)."""
    model = bm25s.BM25(k1=1.2, b=0.75)
    keys = list(inside)
    model.index(list(inside.values()), show_progress=False)
    data, indices, indptr = model.scores["data"], model.scores["indices"], model.scores["indptr"]
    terms: list[dict[str, float]] = [{} for _ in keys]
    for token, column in model.vocab_dict.items():
        if column + 1 >= len(indptr):  # bm25s's empty token has no column
            continue
        for position in range(int(indptr[column]), int(indptr[column + 1])):
            terms[int(indices[position])][token] = weight * float(data[position])
    own = {row: set(index_tokens(chunks[row].text)) for row in {row for row, _ in keys}}
    by_row: dict[int, list[tuple[str, dict[str, float]]]] = {}
    for (row, clause), scores in zip(keys, terms, strict=True):
        kept = {token: score for token, score in scores.items() if token not in own[row]}
        by_row.setdefault(row, []).append((clause, kept))
    return by_row


def question_tokens(lexicon: Lexicon) -> Callable[[str], list[str]]:
    """How search tokenizes a question: shorthand spelled out, the lexicon's legal terms added."""
    return lambda text: index_tokens(lexicon.expand(lexicon.spell_out(text)))


def tokenize_bank(entries: Sequence[BankEntry], tokens: Callable[[str], list[str]]) -> list[
    tuple[list[str], tuple[ProvisionKey, ...]]
]:
    # Interned: the same few thousand words recur in every question, and the lists are kept for index rebuilds.
    return [([sys.intern(t) for t in tokens(entry.question)], entry.provisions) for entry in entries]


# Tokenizing 6,460 questions through the lexicon takes seconds; every index a process loads (a server's after each
# corpus change, each test's) would pay it again for the same bank and lexicon.
_TOKENIZED: OrderedDict[tuple[int, int], list[tuple[list[str], tuple[ProvisionKey, ...]]]] = OrderedDict()
_TOKENIZED_KEPT = 4


def tokenize_bank_with(
    entries: Sequence[BankEntry], lexicon: Lexicon
) -> list[tuple[list[str], tuple[ProvisionKey, ...]]]:
    """``tokenize_bank`` with search's question tokens, remembered per process for the same bank and lexicon."""
    key = (hash(tuple(entries)), hash(lexicon.fingerprint()))
    found = _TOKENIZED.get(key)
    if found is None:
        found = tokenize_bank(entries, question_tokens(lexicon))
        _TOKENIZED[key] = found
        while len(_TOKENIZED) > _TOKENIZED_KEPT:
            _TOKENIZED.popitem(last=False)
    return found
