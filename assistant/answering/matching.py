"""Lexical matching between a question and provision text, on folded syllables (diacritics removed).

Used to pick which clause or point answers a question, and to judge whether retrieval found anything
relevant at all. IDF weights are computed over the candidate units, so words every provision shares
("người lao động") count for little and the distinctive ones ("thử việc", "12 tháng") decide.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.vietnamese import syllables

# Question words and function words: they say what is asked, not what it is about.


def term_list(text: str) -> tuple[str, ...]:
    """Phrases separated by "|" (line breaks ignored), as curators write them in the keyword lists."""
    return tuple(t.strip() for t in " ".join(text.split("\n")).split("|") if t.strip())


STOPWORDS = frozenset(
    term_list(
        """la|gi|nao|co|khong|duoc|thi|va|cua|cho|trong|khi|nhu|the|bao|nhieu|toi|em|minh|ban|ai|o|den|tu
        |voi|de|neu|vay|sao|phai|can|may|roi|nhe|a|oi|ha|hay|hoac|cac|nhung|mot|nay|do|day|kia|ra|vao|len
        |xuong|ve|se|da|dang|van|con|chi|moi|rat|qua|lai|nua|thoi|vi|nen|ma|nguoi|theo|tai|bi|boi|nhat
        """
    )
)


def words(text: str) -> list[str]:
    return syllables(text)


def phrase_key(text: str) -> str:
    """Folded syllables with spaces around, so ``" lao dong " in phrase_key(x)`` is a whole-word test."""
    return f" {' '.join(syllables(text))} "


_CLAUSE_BREAK = re.compile(r"[,.;:!?()\[\]\n\"“”…]+")
_CLAUSE_PART = re.compile(r"[^,.;:!?()\[\]\n\"“”…]+")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where each part of the message between punctuation starts and ends (``clause_key``'s parts)."""
    return [(m.start(), m.end()) for m in _CLAUSE_PART.finditer(text) if m.group().strip()]


def clause_key(text: str) -> str:
    """Like ``phrase_key``, with " | " where punctuation separates two parts of the message, so a phrase is
    never matched across it: "ở Mỹ Đình, công ty" is not "đình công", "vậy, tiền" is not "vay tiền"."""
    parts = (" ".join(syllables(part)) for part in _CLAUSE_BREAK.split(text))
    return f" {' | '.join(p for p in parts if p)} "


def contains_any(key: str, phrases: Iterable[str]) -> list[str]:
    if isinstance(phrases, tuple):
        return [p for p, padded in _padded(phrases) if padded in key]
    return [p for p in phrases if f" {p} " in key]


@lru_cache(maxsize=256)
def _padded(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # The keyword lists are module-level tuples checked on every message: pad them once.
    return tuple((p, f" {p} ") for p in phrases)


def content_words(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS]


def bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in itertools.pairwise(tokens) if a not in STOPWORDS or b not in STOPWORDS}


# Text that states a quantity, preferred when the question asks for one ("bao nhiêu ngày?").
QUANTITY_BONUS = 0.15
HAS_NUMBER = re.compile(
    r"(?:\d+|\b(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười))\s*(?:ngày|tháng|năm|giờ|tuần|%|lần|tuổi|đồng)",
    re.IGNORECASE,
)


SHORTHAND_LENGTH = 3
# A folded Vietnamese syllable: onset, vowels, final consonant. "luon", "mieng" are; "cafe", "kpi" are not.
# Loanwords of everyday working life: a question holding them is not beyond what the corpus covers, as
# "blockchain" is ("chủ shop online giữ lương tháng đầu" was refused for "shop" and "online").
EVERYDAY_LOANWORDS = frozenset(
    {
        "shop", "online", "offline", "laptop", "iphone", "zalo", "facebook", "email", "sale", "sales", "tour", "spa",
        "cafe", "karaoke", "grab", "shipper", "app", "website", "livestream", "live", "team", "building", "marketing",
        "check", "fulltime", "parttime", "freelance", "video", "camera", "wifi", "internet", "tiktok", "youtube",
        "bonus", "deadline", "overtime", "leader", "manager", "office",
    }
)
VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


@dataclass(frozen=True)
class QueryTerms:
    unigrams: frozenset[str]
    pairs: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, text: str) -> QueryTerms:
        tokens = words(text)
        return cls(frozenset(content_words(tokens)), frozenset(bigrams(tokens)))

    def foreign(self, known: Container[str]) -> list[str]:
        """Words ``known`` lacks that are neither shorthand nor Vietnamese ("blockchain", "kpi" is shorthand)."""
        return sorted(
            w
            for w in self.unigrams
            if w not in known
            and w not in EVERYDAY_LOANWORDS
            and len(w) > SHORTHAND_LENGTH
            and not any(c.isdigit() for c in w)
            and not VIETNAMESE_SYLLABLE.fullmatch(w)
        )

    def without_shorthand(self, known: Container[str], everyday: bool = False) -> QueryTerms:
        """Without the words ``known`` lacks that are shorthand: teen code and abbreviations ("mn", "z",
        "trc") or amounts ("3tr", "500k"); with ``everyday``, also Vietnamese words the legal texts never
        use ("luôn", "miệng", "quê"). Foreign words ("blockchain") stay: they are what the corpus cannot
        answer."""

        def kept(word: str) -> bool:
            if word in known:
                return True
            if len(word) <= SHORTHAND_LENGTH or any(c.isdigit() for c in word):
                return False
            return not (everyday and VIETNAMESE_SYLLABLE.fullmatch(word))

        return QueryTerms(
            frozenset(w for w in self.unigrams if kept(w)),
            frozenset(p for p in self.pairs if kept(p[0]) and kept(p[1])),
        )


# One tuple per distinct word pair of the provisions, shared by every cached text that holds it (30 MB less once
# the whole shared corpus is prepared). Only provision texts come here, so it is bounded by the corpus.
_PAIRS: dict[tuple[str, str], tuple[str, str]] = {}


@lru_cache(maxsize=50_000)
def text_terms(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The words and word pairs of a provision text: the same clauses are scored for many questions."""
    tokens = words(text)
    return frozenset(tokens), frozenset(_PAIRS.setdefault(pair, pair) for pair in bigrams(tokens))


class Scorer:
    """Scores texts against one question with IDF weights learnt from the candidate texts."""

    def __init__(self, query: QueryTerms, corpus: Sequence[str], quantity: bool = False) -> None:
        self.query = query
        self.quantity = quantity
        docs = [text_terms(text)[0] for text in corpus]
        n = max(len(docs), 1)
        self.idf = {w: math.log(1 + n / (1 + sum(w in d for d in docs))) for w in query.unigrams}
        self.norm = sum(self.idf.values()) or 1.0

    def score(self, text: str) -> float:
        """Coverage of the question's words (IDF-weighted, 0..1) plus a bonus for shared word pairs."""
        present, pairs = text_terms(text)
        unigram = sum(self.idf[w] for w in self.query.unigrams if w in present) / self.norm
        shared_pairs = len(self.query.pairs & pairs)
        pair_bonus = shared_pairs / max(len(self.query.pairs), 1)
        number_bonus = QUANTITY_BONUS if self.quantity and HAS_NUMBER.search(text) else 0.0
        return unigram + 0.5 * pair_bonus + number_bonus

    def coverage(self, text: str) -> float:
        """Half the IDF-weighted share of the question's words in ``text``, half the share of its word
        pairs: syllables alone match too easily ("hỏa" in "hòa giải")."""
        present, text_pairs = text_terms(text)
        unigram = sum(self.idf[w] for w in self.query.unigrams if w in present) / self.norm
        shared = len(self.query.pairs & text_pairs)
        pairs = shared / len(self.query.pairs) if self.query.pairs else unigram
        return 0.5 * unigram + 0.5 * pairs
