"""Footnotes of consolidated texts (văn bản hợp nhất): markers, the notes block, amendments.

A consolidated text marks an amended provision with a footnote marker such as ``1.[4] Lao động...``
or ``a)2[2]Thành lập...`` (the converter left a copy of the number before the bracket), and
collects the notes at the end, after a ``--- CHÚ THÍCH ---`` line, as ``[4] 4 Khoản này...`` or
``4 Khoản này...``. A note usually says which law amended the provision and from which date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MARKER = re.compile(r"(\d*)\[(\d{1,3})\]")
_BLOCK_HEADER = re.compile(r"^[-–—=_*\s]*CHÚ THÍCH\b")
_BRACKET_NOTE = re.compile(r"^\[(\d{1,3})\]\s*(.*)$")
_PLAIN_NOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")

# The subject before "được" must name the provision itself ("Khoản này", "Cụm từ “…”"), so a
# note that merely quotes another law ("Điều 50 của Luật … quy định như sau: “…được sửa đổi…”")
# is not taken for an amendment.
_SUBJECT = re.compile(
    r"^(?:(?P<phrase>cụm từ)\b.*"
    r"|(?P<name>tên (?:phần|chương|mục|điều))\b.*"
    r"|(?P<unit>phần|chương|mục|điều|khoản|điểm)(?:\s+(?:này|\d+[a-zđ]?|[a-zđ]\d?))?)$",
    re.DOTALL,
)
_ACTIONS = (
    "sửa đổi, bổ sung",
    "sửa đổi",
    "bổ sung",
    "bãi bỏ",
    "thay thế",
    "bỏ",
)
_ACTION = re.compile(r"\bđược\s+(" + "|".join(re.escape(a) for a in _ACTIONS) + r")\b")
_LAW_NUMBER = re.compile(r"\b(\d{1,4}/\d{4}/[0-9A-Za-zĐđ]+(?:-[0-9A-Za-zĐđ]+)*)")
_EFFECTIVE = re.compile(
    r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
)
_EFFECTIVE_SLASH = re.compile(r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class Amendment:
    """What one footnote of a consolidated text says about the provision it is attached to."""

    marker: int
    target: str  # "điều" | "khoản" | "điểm" | "cụm từ" | "chương" | "mục" | "tên điều" ...
    action: str  # "sửa đổi, bổ sung" | "sửa đổi" | "bổ sung" | "bãi bỏ" | "thay thế" | "bỏ"
    by_number: str | None  # "113/2025/QH15"
    effective_from: date | None


def strip_markers(line: str) -> tuple[str, list[int]]:
    """Remove footnote markers from a line and return the clean line with the marker numbers."""
    if "[" not in line:
        return line, []
    found: list[int] = []

    def drop(match: re.Match[str]) -> str:
        number = match.group(2)
        found.append(int(number))
        prefix = match.group(1)
        # "a)2[2]" carries a copy of the number; "khoản 11[1]" carries real digits: keep those.
        return "" if prefix in ("", number) else prefix

    clean = _MARKER.sub(drop, line)
    if found:
        clean = re.sub(r"[ \t]{2,}", " ", clean).strip()
    return clean, found


def split_notes(lines: list[str], last_heading: int) -> tuple[list[str], dict[int, str]]:
    """Split the trailing notes block off ``lines``.

    ``last_heading`` is the index of the last line that looks like an article heading: a bare
    ``[n] ...`` block only counts as notes after it, so brackets in the body are never eaten.
    """
    start = _block_start(lines, last_heading)
    if start is None:
        return lines, {}
    has_header = bool(_BLOCK_HEADER.match(lines[start]))
    notes = _read_notes(lines[start + 1 :] if has_header else lines[start:], plain=has_header)
    return lines[:start], notes


def _block_start(lines: list[str], last_heading: int) -> int | None:
    for index, line in enumerate(lines):
        if _BLOCK_HEADER.match(line):
            return index
    for index in range(max(last_heading + 1, 0), len(lines)):
        if _BRACKET_NOTE.match(lines[index]) and lines[index][1:2].isdigit():
            return index
    return None


def _read_notes(lines: list[str], *, plain: bool) -> dict[int, str]:
    notes: dict[int, list[str]] = {}
    current: int | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        match = _BRACKET_NOTE.match(line)
        if match is None and plain:
            candidate = _PLAIN_NOTE.match(line)
            # Numbered lines only start a note when they continue the sequence.
            if candidate and int(candidate.group(1)) == (current or 0) + 1:
                match = candidate
        if match:
            current = int(match.group(1))
            notes[current] = [_drop_copied_number(match.group(2), current)]
        elif current is not None:
            notes[current].append(line)
    return {number: " ".join(parts).strip() for number, parts in notes.items()}


def _drop_copied_number(text: str, marker: int) -> str:
    prefix = f"{marker} "
    return text[len(prefix) :] if text.startswith(prefix) else text


def parse_amendment(note: str, marker: int) -> Amendment | None:
    """Read an amendment out of a footnote; ``None`` when the note is not about an amendment.

    >>> parse_amendment("Khoản này được bổ sung theo quy định tại khoản 4 Điều 49 của Luật "
    ...                 "số 71/2025/QH15, có hiệu lực kể từ ngày 01 tháng 01 năm 2026.", 5)
    Amendment(marker=5, target='khoản', action='bổ sung', by_number='71/2025/QH15', \
effective_from=datetime.date(2026, 1, 1))
    """
    text = _drop_copied_number(" ".join(note.split()), marker)
    action = _ACTION.search(text)
    if action is None:
        return None
    target = _target(text[: action.start()])
    if target is None:
        return None
    rest = text[action.end() :]
    number = _LAW_NUMBER.search(rest)
    return Amendment(
        marker=marker,
        target=target,
        action=action.group(1),
        by_number=number.group(1) if number else None,
        effective_from=_effective_date(rest),
    )


def _target(subject: str) -> str | None:
    match = _SUBJECT.match(subject.strip().lower())
    if match is None:
        return None
    return match.group("phrase") or match.group("name") or match.group("unit")


def _effective_date(text: str) -> date | None:
    match = _EFFECTIVE.search(text) or _EFFECTIVE_SLASH.search(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
