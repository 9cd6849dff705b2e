"""Which clause (khoản) and point (điểm) of a hit answers the question.

An explicit reference in the question ("khoản 2 Điều 36", "điểm b") wins. Otherwise the clauses of the
article are scored against the question like tiny BM25 documents (IDF weights from the lexical index,
term saturation, length normalisation among siblings), so a long clause that mentions everything does not
beat the short one that answers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.retrieval.chunks import Chunk, Part
from assistant.retrieval.quantities import Fit, Span, fit, width
from assistant.vietnamese import fold, index_tokens

# A point is quoted alone only when it clearly beats its siblings; otherwise the whole clause is clearer.
POINT_MARGIN = 1.5
# A clause written for the age, duration or headcount the question states ("con tôi 14 tuổi": "người chưa đủ 15
# tuổi") stands for the article instead of the best-matching one when it scores at least this share of it, or
# EXCLUDED_CLOSE of it when the best-matching one is written for another range ("từ đủ 15 tuổi đến chưa đủ 18 tuổi",
# which shares more words with the question). Chosen on the tuning sets (gold clause won / lost: 0.85 alone 16 / 4,
# with 0.5 for the excluded case 21 / 4, 0.7 and 0.5: 25 / 7); development 2 / 0, held-out 1-13 7 / 2.
QUANTITY_CLOSE = 0.85
EXCLUDED_CLOSE = 0.5
K1 = 1.2
B = 0.75
# A question whose words are in an article's lead-in ("Thời gian thử việc do hai bên thỏa thuận … bảo đảm điều kiện
# sau đây:") and hardly in any of its clauses ("Không quá 06 ngày làm việc đối với công việc khác") asks about the
# article as a whole: "thử việc tối đa bao lâu" quoted the clause for unskilled work alone, and "thử việc 2 lần có
# được không" the one for managers, while the answer ("chỉ được thử việc một lần") is in the lead-in. When the best
# clause scores below this share of the lead-in, and below the question's rarest word alone (it shares no distinctive
# word: "hoạt động công vụ" keeps khoản 1 Điều 61 Nghị định 145), a short article (at most WHOLE_ARTICLE_CHARS) is
# quoted whole. Chosen on the tuning sets (README, fifteenth session): at 0.2 nothing changed, at 0.3 12 answers, at
# 0.5 15; with the rarest-word test the development sets keep every clause they had.
LEAD_ONLY = 0.3
WHOLE_ARTICLE_CHARS = 900

# Questions that ask for a figure, and the unit the figure is in ("" when any duration will do, ANY_FIGURE when any
# amount will).
ANY_FIGURE = "*"
_FIGURE_UNITS = (
    (re.compile(r"\b(?:may|bao nhieu) thang\b"), "thang"),
    (re.compile(r"\b(?:may|bao nhieu) ngay\b"), "ngay"),
    (re.compile(r"\b(?:may|bao nhieu) nam\b"), "nam"),
    (re.compile(r"\b(?:may|bao nhieu) (?:gio|tieng)\b"), "gio"),
    (re.compile(r"\b(?:may|bao nhieu) (?:phan tram|%)|\bbao nhieu ?%"), "%"),
    (re.compile(r"\bbao lau\b"), ""),
    # "Tiền thai sản mỗi tháng được tính bằng bao nhiêu?": an amount in any unit ("100%", "02 lần", "30 ngày"). Chosen
    # on the tuning sets (gold clause 5 won, 1 lost; held-out 3 / 1, development none changed).
    (re.compile(r"\bbao nhieu\b"), ANY_FIGURE),
    # A question that states a share ("bị trừ 50% lương") is answered by the clause that sets one ("không được quá
    # 30%", khoản 3 Điều 102), not by its sibling about the same deduction. Chosen on the tuning sets (gold clause
    # 1 won, none lost; held-out 2 / 0; development none changed).
    (re.compile(r"\d\s*(?:%|phan tram\b)"), "%"),
)
_FIGURE_RE = {
    # "06 tháng tuổi" is an age, not a duration.
    unit: re.compile(rf"\b\d+(?:[.,]\d+)?\s*{re.escape(unit) if unit else '(?:ngay|thang|nam|tuan|gio)'}(?! tuoi)")
    for _, unit in _FIGURE_UNITS
    if unit != ANY_FIGURE
}
_FIGURE_RE[ANY_FIGURE] = re.compile(r"\b\d+(?:[.,]\d+)*\s*(?:%|phan tram|lan|dong|ngay|thang|nam|tuan|gio)(?! tuoi)")


def asked_figure(query: str) -> str | None:
    """The unit a question asks a figure in ("mấy tháng" → "thang", "bao lâu" → ""), or None."""
    folded = fold(query)
    return next((unit for pattern, unit in _FIGURE_UNITS if pattern.search(folded)), None)


def states_figure(text: str, unit: str) -> bool:
    """Whether the text gives a figure in that unit ("06 tháng"; any duration for "")."""
    return bool(_FIGURE_RE[unit].search(fold(text)))


# A clause whose subject is foreign workers ("2. Lao động là người nước ngoài làm việc tại Việt Nam…"), folded.
_FOREIGNERS_CLAUSE = re.compile(r"^\s*(?:\d+[a-z]?\.\s*)?(?:nguoi )?lao dong (?:la nguoi )?nuoc ngoai\b")
# How a question names a foreign worker, folded: "quốc tịch", "người nước ngoài", a nationality ("sếp người Hàn"),
# "nước ông ấy". Left out for what else they say: "người Anh" (an elder brother), "người Lào" and "người Trung"
# ("người lao động", "người trung niên"), "người Thái" and "người Hoa" (Vietnamese peoples), "người Nga" ("ngã").
_FOREIGNER = re.compile(
    r" (?:nuoc ngoai|quoc tich|ngoai quoc|giay phep lao dong|expat|(?:ong|sep|ba) tay|nguoi (?:tay|nhat|han|han quoc"
    r"|trung quoc|dai loan|my|phap|duc|uc|thai lan|campuchia|an do|singapore|malaysia|philippines|indo|indonesia"
    r"|hong kong)|nuoc (?:ong|ba|ho|anh ay|chi ay|co ay|ong ay|ba ay)) "
)


@lru_cache(maxsize=20_000)
def for_foreigners(text: str) -> bool:
    """Whether a clause is written for foreign workers working in Việt Nam."""
    return bool(_FOREIGNERS_CLAUSE.match(fold(text)))


def names_foreigner(words: str) -> bool:
    """Whether a question (``question_words``: folded, padded) names a foreign worker."""
    return bool(_FOREIGNER.search(words))


_ARTICLE_REF = re.compile(r"\bdieu\s+(\d+[a-z]?)\b")
_CLAUSE_REF = re.compile(r"\bkhoan\s+(\d+[a-z]?)\b")
_POINT_REF = re.compile(r"\bdiem\s+([a-z])\b")


@dataclass(frozen=True)
class Reference:
    """Article, clause and point numbers the question names itself (folded: "đ" reads as "d")."""

    article: str | None = None
    clause: str | None = None
    point: str | None = None

    @classmethod
    def parse(cls, query: str) -> Reference:
        folded = fold(query)

        def first(pattern: re.Pattern[str]) -> str | None:
            match = pattern.search(folded)
            return match.group(1) if match else None

        return cls(first(_ARTICLE_REF), first(_CLAUSE_REF), first(_POINT_REF))

    def names_article(self, article_label: str) -> bool:
        return self.article is not None and self.article == article_label.lower()

    def clause_for(self, article_label: str) -> str | None:
        """The clause named for this article (or for no article in particular)."""
        if self.clause is None or (self.article is not None and not self.names_article(article_label)):
            return None
        return self.clause


@lru_cache(maxsize=50_000)
def _token_counts(text: str) -> tuple[Counter[str], int]:
    # Hits repeat across questions; tokenizing their clauses once keeps this off the latency budget.
    counts = Counter(index_tokens(text))
    return counts, sum(counts.values())


def warm_part_counts(chunk: Chunk) -> int:
    """Count the tokens of a chunk's parts now (see assistant/answering/prepare.py); returns how many."""
    for part in chunk.parts:
        _token_counts(part.text)
    return len(chunk.parts)


def part_scores(parts: Sequence[Part], weights: dict[str, float]) -> list[float]:
    """BM25 of each part against the question, with the parts as their own little collection."""
    counted = [_token_counts(p.text) for p in parts]
    counts = [c for c, _ in counted]
    lengths = [n for _, n in counted]
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    scores = []
    for count, length in zip(counts, lengths, strict=True):
        norm = K1 * (1 - B + B * length / (average or 1.0))
        # "in" before indexing: a Counter's missing key goes through Python-level __missing__.
        scores.append(sum(w * count[t] * (K1 + 1) / (count[t] + norm) for t, w in weights.items() if t in count))
    return scores


def _best(
    parts: Sequence[Part], weights: dict[str, float], asked_before: Mapping[str, float] | None = None
) -> tuple[Part | None, float, float]:
    """Best part, its score and the runner-up's score; ties go to the earlier part. ``asked_before`` adds, by
    clause, what the question bank's questions about that clause say (see assistant/retrieval/question_bank.py)."""
    best: Part | None = None
    best_score = second = 0.0
    scores = part_scores(parts, weights)
    if asked_before:
        scores = [score + asked_before.get(part.clause or "", 0.0) for part, score in zip(parts, scores, strict=True)]
    for part, score in zip(parts, scores, strict=True):
        if score > best_score:
            best, second, best_score = part, best_score, score
        elif score > second:
            second = score
    return best, best_score, second


def best_point(
    clause: str | None, parts: Sequence[Part], weights: dict[str, float], named: str | None = None
) -> Part | None:
    points = [p for p in parts if p.point and p.clause == clause]
    if named is not None:
        chosen = next((p for p in points if fold(p.point or "") == named), None)
        if chosen is not None:
            return chosen
    if len(points) < 2:
        return None
    best, score, second = _best(points, weights)
    if best is None or score < POINT_MARGIN * second:
        return None
    return best


def _stating(clauses: Sequence[Part], weights: dict[str, float], figure: str) -> Part | None:
    """The best-matching clause that states a figure in the unit asked ("06 tháng" for "mấy tháng").

    Measured on the whole-article chunks of the development and slang sets' answers: gold clause 242 → 247
    of 278 and 190 → 195 of 233 ("bị sảy thai được nghỉ bao nhiêu ngày" now quotes khoản 1 Điều 52 Luật BHXH,
    the one with the days, not khoản 2)."""
    stating = [p for p in clauses if states_figure(p.text, figure)]
    return _best(stating, weights)[0] or (stating[0] if stating else None)


def _fitting(
    clauses: Sequence[Part],
    chosen: Part,
    weights: dict[str, float],
    quantities: tuple[Span, ...],
    figure: str | None = None,
) -> Part | None:
    """The clause written for the question's quantities, when the chosen one is not and it scores at least
    QUANTITY_CLOSE (EXCLUDED_CLOSE) of the best clause and states the figure asked when the chosen one does. Of
    several, the one with the narrowest range, then the best-matching."""
    status = fit(quantities, chosen.text) if quantities else Fit.FITS
    if status is Fit.FITS:
        return None
    close = QUANTITY_CLOSE if status is Fit.NEUTRAL else EXCLUDED_CLOSE
    needs_figure = figure is not None and states_figure(chosen.text, figure)
    scores = part_scores(clauses, weights)
    top = max(scores, default=0.0)
    fitting = [
        (score, part)
        for part, score in zip(clauses, scores, strict=True)
        if score > 0 and score >= close * top
        and fit(quantities, part.text) is Fit.FITS
        and not (needs_figure and not states_figure(part.text, figure or ""))
    ]
    return min(fitting, key=lambda item: (width(quantities, item[1].text), -item[0]))[1] if fitting else None


def lead_in(chunk: Chunk, clauses: Sequence[Part]) -> str:
    """The article's words before its first clause ("Thời gian thử việc do hai bên thỏa thuận …:")."""
    start = chunk.text.find(clauses[0].text[:40]) if clauses else -1
    return chunk.text[:start].strip() if start > 0 else ""


def _lead_only(chunk: Chunk, clauses: Sequence[Part], weights: dict[str, float]) -> bool:
    """Whether the question matches the article's lead-in and none of its clauses stands out (LEAD_ONLY), nor
    shares a word as telling as the question's rarest one."""
    if len(clauses) < 2 or len(chunk.text) > WHOLE_ARTICLE_CHARS:
        return False
    lead = lead_in(chunk, clauses)
    if not lead:
        return False
    *clause_scores, lead_score = part_scores([*clauses, Part(clause=None, point=None, text=lead)], weights)
    best = max(clause_scores)
    return lead_score > 0 and best < LEAD_ONLY * lead_score and best < max(weights.values(), default=0.0)


def best_part(
    chunk: Chunk,
    weights: dict[str, float],
    reference: Reference | None = None,
    figure: str | None = None,
    quantities: tuple[Span, ...] = (),
    foreigners: bool = True,
    whole_article: bool = False,
    asked_before: Mapping[str, float] | None = None,
) -> Part | None:
    """For a clause chunk: the clause itself or one of its points. For a whole-article chunk: its best
    clause (or point), or, for a question asking a ``figure`` (the unit of ``asked_figure``), the best of
    the clauses that state one when the best clause does not. None when the article has no clauses, or when
    the question matches a short article's lead-in and none of its clauses: with ``whole_article`` (the top hit
    only, so that a runner-up article is not quoted at length beside it) the article answers as a whole.
    Without ``foreigners`` (the question names no foreign worker) a clause written for foreign workers is not
    chosen: "Quốc khánh được nghỉ mấy ngày" is khoản 1 Điều 112, not the foreigners' extra day of khoản 2."""
    reference = reference or Reference()
    about_this = reference.article is None or reference.names_article(chunk.article_label)
    named_point = reference.point if about_this else None
    if chunk.point is not None:
        return Part(clause=chunk.clause, point=chunk.point, text=chunk.text)
    if chunk.clause is not None:
        point = best_point(chunk.clause, chunk.parts, weights, named_point)
        return point or Part(clause=chunk.clause, point=None, text=chunk.text)
    clauses = [p for p in chunk.parts if p.point is None]
    if not foreigners:
        clauses = [p for p in clauses if not for_foreigners(p.text)] or clauses
    if not clauses:
        return None
    named = reference.clause_for(chunk.article_label)
    chosen = next((p for p in clauses if p.clause == named), None) if named else None
    if chosen is None and whole_article and about_this and _lead_only(chunk, clauses, weights):
        return None
    if chosen is None:
        chosen = _best(clauses, weights, asked_before)[0] or clauses[0]
        if figure is not None and not states_figure(chosen.text, figure):
            chosen = _stating(clauses, weights, figure) or chosen
        chosen = _fitting(clauses, chosen, weights, quantities, figure) or chosen
    return best_point(chosen.clause, chunk.parts, weights, named_point) or chosen
