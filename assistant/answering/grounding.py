"""The verifier: an answer may only cite retrieved passages, quote them verbatim and state numbers that
the cited text contains. It checks the extractive and the LLM generator alike.

Numbers are compared after normalisation ("06 tháng" = "6 tháng", "4.960.000" = "4960000", "mười hai
tháng" = "12 tháng"). References such as "khoản 1 Điều 35", document numbers ("45/2019/QH14") and the
citations' own dates are not claims and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

from assistant.answering.passages import Passage, Unit
from assistant.legal import Citation, document_name
from assistant.vietnamese import nfc

_REFERENCE_RE = re.compile(
    r"(?:(?:điểm|diem)\s+[a-zđ]\d?(?:\s*,\s*[a-zđ]\d?)*(?:\s+(?:và|va)\s+[a-zđ]\d?)?\s+)?"
    r"(?:(?:khoản|khoan)\s+\d+[a-z]?(?:\s*,\s*\d+[a-z]?)*(?:\s+(?:và|va)\s+\d+[a-z]?)?\s+)?"
    r"(?:Điều|Dieu|điều|dieu)\s+\d+[a-z]?(?:\s*,\s*\d+[a-z]?)*(?:\s+(?:và|va)\s+\d+[a-z]?)?"
    r"|(?:khoản|khoan)\s+\d+[a-z]?|(?:Chương|Mục|chương|mục)\s+[IVXLC\d]+",
)
# "45/2019/QH14", "18/VBHN-VPQH", "145/2020/NĐ-CP": the last part has letters, unlike a date.
_DOC_NUMBER_RE = re.compile(r"\b\d+(?:/\d+)?/(?=[\wĐđ-]*[^\W\d_])[\wĐđ]+(?:-[\wĐđ]+)*")
_LAW_YEAR_RE = re.compile(
    r"((?:Bộ luật|Luật|Nghị định|Thông tư|Điều lệ|Bộ Luật)(?:\s+[^\W\d_]+){0,8})\s+(?:năm\s+)?(?:19|20)\d\d\b"
)
_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_PASSAGE_MARK_RE = re.compile(r"\[\d+\]")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")

_DIGITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
# Matched with diacritics: folded, "sau ngày" (after) would read as "sáu ngày" (six days).
_UNITS_AFTER = ("ngày", "tháng", "năm", "giờ", "tuần", "phần trăm", "tuổi", "buổi", "phút", "ca")
_NUMBER_WORDS = "một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi|trăm|linh|lẻ"
_WORD_NUMBER_RE = re.compile(
    rf"(?<!\w)((?:(?:{_NUMBER_WORDS})\s+){{0,5}}(?:{_NUMBER_WORDS}))\s+({'|'.join(_UNITS_AFTER)})(?!\w)"
)


def normalize_number(raw: str) -> str:
    """ "06" → "6", "4.960.000" → "4960000", "1,5" → "1.5"."""
    text = raw.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if "." in text:
        whole, frac = text.split(".", 1)
        frac = frac.rstrip("0")
        whole = whole.lstrip("0") or "0"
        return f"{whole}.{frac}" if frac else whole
    return text.lstrip("0") or "0"


def words_to_number(words: str) -> int | None:
    """Vietnamese number words up to 999: "mười hai" → 12, "bốn mươi lăm" → 45, "một trăm linh năm" → 105."""
    tokens = words.split()
    total, current = 0, 0
    for index, token in enumerate(tokens):
        if token == "trăm":
            total += max(current, 1) * 100
            current = 0
        elif token == "mười":
            current += 10
        elif token == "mươi":
            current = max(current, 1) * 10
        elif token in ("linh", "lẻ"):
            continue
        elif token in _DIGITS:
            if token in ("lăm", "mốt", "tư") and index == 0:
                return None
            current += _DIGITS[token]
        else:
            return None
    return total + current


def _spoken_numbers(text: str) -> list[str]:
    found = []
    for match in _WORD_NUMBER_RE.finditer(nfc(text).lower()):
        words = match.group(1).split()
        value = words_to_number(" ".join(words))
        # A phrase that ends on a connector ("một trăm linh") is cut off before its unit.
        if value is not None and words[-1] not in ("linh", "lẻ"):
            found.append(str(value))
    return found


def strip_references(text: str, citations: Iterable[Citation] = (), extra: Iterable[str] = ()) -> str:
    """Remove what only names a provision or document, so the numbers left are claims."""
    text = nfc(text)
    for citation in citations:
        for name in (citation.label(), document_name(citation), citation.version_label, citation.work_number):
            if name:
                text = text.replace(name, " ")
    for item in extra:
        if item:
            text = text.replace(item, " ")
    text = _LAW_YEAR_RE.sub(r"\1", text)
    text = _REFERENCE_RE.sub(" ", text)
    text = _DOC_NUMBER_RE.sub(" ", text)
    return _PASSAGE_MARK_RE.sub(" ", text)


def numbers_in(text: str) -> set[str]:
    """Every number in ``text``: digits (normalised) and numbers written as words before a unit."""
    dates = [m.group(0) for m in _DATE_RE.finditer(text)]
    found = {normalize_number(n) for n in _NUMBER_RE.findall(_DATE_RE.sub(" ", text))}
    for day_month_year in dates:
        found.update(normalize_number(part) for part in day_month_year.split("/"))
    return found | set(_spoken_numbers(text))


@lru_cache(maxsize=8192)
def _stated_numbers(text: str) -> frozenset[str]:
    """The numbers a cited text states: the same clauses are cited for many questions. Read text by text, a number
    written in words across two cited texts is not found, which can only make the check stricter."""
    return frozenset(numbers_in(strip_references(text)))


def claimed_numbers(
    answer: str, citations: Sequence[Citation], allowed_dates: Iterable[date | None] = ()
) -> set[str]:
    """The numbers an answer states as facts (references, document numbers and known dates removed)."""
    known = [d.strftime("%d/%m/%Y") for d in allowed_dates if d]
    known += [d.strftime("%d/%m/%Y") for c in citations for d in (c.valid_from, c.valid_to) if d]
    return numbers_in(strip_references(answer, citations, known))


def unit_for(citation: Citation, passage: Passage) -> Unit | None:
    clause = None if citation.clause is None else str(citation.clause)
    for unit in passage.units():
        if unit.clause == clause and unit.point == citation.point:
            return unit
    return None


def cited_text(citation: Citation, passage: Passage) -> str:
    """The text a citation stands for: its quote, plus the clause lead-in that introduces a cited point."""
    unit = unit_for(citation, passage)
    parts = [citation.quote]
    if unit is not None:
        parts += [unit.lead, unit.text]
    return "\n".join(parts)


def passage_for(citation: Citation, passages: Sequence[Passage]) -> Passage | None:
    """The retrieved passage a citation points to, or None when it points outside the retrieval."""
    matches = [
        p
        for p in passages
        if p.work_number == citation.work_number
        and p.article == citation.article
        and (not citation.version_label or p.version_label == citation.version_label)
    ]
    for passage in matches:
        if _squash(citation.quote) in _squash(passage.source_text):
            return passage
    return matches[0] if matches else None


@lru_cache(maxsize=8192)
def _squash(text: str) -> str:
    # Cached: every citation of every answer is checked against its whole article.
    return " ".join(nfc(text).split())


def verify(
    answer: str,
    citations: Sequence[Citation],
    passages: Sequence[Passage],
    allowed_dates: Iterable[date | None] = (),
) -> list[str]:
    """Problems with an answer; empty when every citation, quote and number is grounded."""
    problems: list[str] = []
    if not citations:
        problems.append("câu trả lời không có trích dẫn nào")
    cited_texts: list[str] = []
    for citation in citations:
        passage = passage_for(citation, passages)
        label = citation.label()
        if passage is None:
            problems.append(f"trích dẫn {label} không nằm trong các đoạn đã truy xuất")
            continue
        if not citation.quote.strip() or _squash(citation.quote) not in _squash(passage.source_text):
            problems.append(f"trích dẫn {label} không đúng nguyên văn đoạn đã truy xuất")
            continue
        names_part = citation.clause is not None or citation.point
        part_found = unit_for(citation, passage) is not None or (
            not citation.point and passage.clause is not None and str(citation.clause) == passage.clause
        )
        if names_part and not part_found:
            problems.append(f"{label} không có trong đoạn đã truy xuất")
            continue
        cited_texts.append(cited_text(citation, passage))
    available = set().union(*(_stated_numbers(text) for text in cited_texts))
    missing = sorted(claimed_numbers(answer, citations, allowed_dates) - available)
    if missing:
        problems.append(f"con số không có trong văn bản được trích: {', '.join(missing)}")
    return problems
