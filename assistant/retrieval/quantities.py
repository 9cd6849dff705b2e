"""Ages, durations and headcounts: what a question states, and the ranges a clause applies to.

Many articles split one rule by a threshold: "người chưa đủ 15 tuổi" (khoản 1 Điều 146) against "từ đủ 15 tuổi
đến chưa đủ 18 tuổi" (khoản 2); "làm việc đủ 12 tháng" against "chưa đủ 12 tháng" (Điều 113); "từ 10 người lao
động trở lên" against "dưới 10 người". Their words are nearly the same, so word overlap cannot tell them apart,
but the figure in the question can: "con tôi 14 tuổi" falls in the first range and outside the second.

Everything here works on folded text (see ``assistant.vietnamese.fold``). Durations are kept in months (years ×
12) and days (weeks × 7); ages and headcounts stand alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from assistant.vietnamese import fold

# A number starts where a digit run starts: matching from inside one would retry every position of a long run.
_NUMBER = r"(?<![\d.,])(\d+(?:[.,]\d+)?)"
# Unit words after a number, by canonical unit and the factor into it. "năm" folds to "nam", which also means
# "male"; after a number it is always the year.
_UNIT_WORDS: dict[str, tuple[str, float]] = {
    "tuoi": ("tuoi", 1.0),
    "thang": ("thang", 1.0),
    "nam": ("thang", 12.0),
    "ngay": ("ngay", 1.0),
    "tuan": ("ngay", 7.0),
    "gio": ("gio", 1.0),
    "tieng": ("gio", 1.0),
    "nguoi": ("nguoi", 1.0),
    "nhan vien": ("nguoi", 1.0),
    "cong nhan": ("nguoi", 1.0),
    "lao dong": ("nguoi", 1.0),
}
_UNIT = r"(tuoi|thang|nam|ngay|tuan|gio|tieng|nguoi|nhan vien|cong nhan|lao dong)\b(?! tuoi)"
_AMOUNT = rf"{_NUMBER}\s*{_UNIT}"
# The words between a headcount and "trở lên" ("10 người lao động trở lên").
_TAIL = r"(?:\s+lao dong)?"

# (pattern, kind): kind says how the numbers bound the range.
_RANGE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\btu (?:du )?{_NUMBER}\s*{_UNIT}?{_TAIL} (?:den|toi) (?:chua du|duoi) {_AMOUNT}"), "half_open"),
    (re.compile(rf"\btu (?:du )?{_NUMBER}\s*{_UNIT}?{_TAIL} (?:den|toi) (?:du )?{_AMOUNT}"), "closed"),
    (re.compile(rf"\b(?:tu du|tu|du) {_AMOUNT}{_TAIL} tro len\b"), "at_least"),
    (re.compile(rf"\btren {_AMOUNT}"), "above"),
    (re.compile(rf"\b(?:chua du|duoi|chua den) {_AMOUNT}"), "below"),
    (re.compile(rf"\b(?:lam viec|dong bao hiem xa hoi[a-z ]*?) du {_AMOUNT}"), "at_least"),
)
_POINT = re.compile(_AMOUNT)


@dataclass(frozen=True)
class Span:
    """A range of one unit: ``low <= value < high``, or ``<= high`` when ``closed`` (a single value is a closed
    range of one)."""

    unit: str
    low: float
    high: float
    closed: bool = False

    @property
    def upper(self) -> float:
        """The exclusive upper bound."""
        return math.nextafter(self.high, math.inf) if self.closed else self.high

    def contains(self, other: Span) -> bool:
        return other.unit == self.unit and self.low <= other.low and other.upper <= self.upper

    def overlaps(self, other: Span) -> bool:
        return other.unit == self.unit and self.low < other.upper and other.low < self.upper


class Fit(Enum):
    FITS = 1
    NEUTRAL = 0
    EXCLUDED = -1


def _value(number: str, unit_word: str) -> tuple[str, float]:
    unit, factor = _UNIT_WORDS[unit_word]
    return unit, float(number.replace(",", ".")) * factor


def _span(kind: str, groups: tuple[str | None, ...]) -> Span | None:
    if kind in ("half_open", "closed"):
        low_number, low_word, high_number, high_word = groups
        assert high_number is not None and high_word is not None and low_number is not None
        unit, high = _value(high_number, high_word)
        low_unit, low = _value(low_number, low_word or high_word)
        if low_unit != unit or low > high:
            return None
        return Span(unit, low, high, closed=kind == "closed")
    number, word = groups[0], groups[1]
    assert number is not None and word is not None
    unit, value = _value(number, word)
    if kind == "at_least":
        return Span(unit, value, math.inf)
    if kind == "above":
        return Span(unit, math.nextafter(value, math.inf), math.inf)
    return Span(unit, 0.0, value)


def _ranges(folded: str) -> tuple[list[Span], str]:
    """The ranges stated in folded text, and the text with them blanked out."""
    spans: list[Span] = []
    for pattern, kind in _RANGE_PATTERNS:
        for match in pattern.finditer(folded):
            span = _span(kind, match.groups())
            if span is not None:
                spans.append(span)
        folded = pattern.sub(" ", folded)
    return spans, folded


@lru_cache(maxsize=20_000)
def clause_ranges(text: str) -> tuple[Span, ...]:
    """The ranges of age, duration or headcount a clause is written for ("từ đủ 15 tuổi đến chưa đủ 18 tuổi")."""
    return tuple(_ranges(fold(text))[0])


def question_quantities(question: str) -> tuple[Span, ...]:
    """The ranges ("dưới 12 tháng") and values ("con tôi 14 tuổi", a value is a range of one) a question states."""
    spans, rest = _ranges(fold(question))
    for match in _POINT.finditer(rest):
        unit, value = _value(match.group(1), match.group(2))
        spans.append(Span(unit, value, value, closed=True))
    return tuple(spans)


def width(quantities: tuple[Span, ...], text: str) -> float:
    """How wide the narrowest of a clause's ranges holding one of the quantities is (inf when none holds one, or
    it is open-ended): of two clauses that fit, the narrower is the more specific rule ("chưa đủ 15 tuổi" before
    "chưa đủ 18 tuổi")."""
    widths = [r.high - r.low for r in clause_ranges(text) for q in quantities if r.contains(q)]
    return min(widths, default=math.inf)


def fit(quantities: tuple[Span, ...], text: str) -> Fit:
    """Whether a clause is written for the quantities the question states: FITS when one of its ranges holds
    one of them, EXCLUDED when it has ranges in that unit and none holds any, NEUTRAL otherwise."""
    if not quantities:
        return Fit.NEUTRAL
    ranges = clause_ranges(text)
    excluded = False
    for quantity in quantities:
        same_unit = [r for r in ranges if r.unit == quantity.unit]
        if any(r.contains(quantity) for r in same_unit):
            return Fit.FITS
        if same_unit and not any(r.overlaps(quantity) for r in same_unit):
            excluded = True
    return Fit.EXCLUDED if excluded else Fit.NEUTRAL
