"""Search units cut from provisions: one chunk per short article, one per clause (khoản) for long ones.

Every chunk keeps the article heading in the text that is indexed, so a clause such as "1. ... 12 ngày làm
việc ..." is still found by "nghỉ hằng năm", the words of its heading.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

# Articles shorter than this stay whole; a clause alone would lose the context around it.
SPLIT_THRESHOLD_CHARS = 1200
# Clauses longer than this are split by point (60 of 2,700 chunks in the shared corpus): a 4,000-character
# clause about everything ranked first for questions about anything.
LONG_CLAUSE_CHARS = 1500


@dataclass(frozen=True)
class Part:
    """A clause or a point inside a chunk, kept so a hit can quote exactly the piece that answers."""

    clause: str | None
    point: str | None
    text: str


@dataclass(frozen=True)
class Chunk:
    id: str
    provision_id: str
    work_number: str
    version_label: str
    document_title: str
    article: int
    article_label: str
    clause: str | None
    point: str | None
    heading: str
    text: str
    valid_from: date
    valid_to: date | None
    scope_unit_code: str | None
    context: str = ""
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def index_text(self) -> str:
        """What both indexes see: the law's title, chapter, the article heading, then the text."""
        lines = [self.document_title, self.context, self.heading, self.text]
        return "\n".join(line for line in lines if line)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that is indexed or filtered on changes."""
        payload = json.dumps(chunk_to_dict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chunk_to_dict(chunk: Chunk) -> dict[str, Any]:
    data = asdict(chunk)
    data["valid_from"] = chunk.valid_from.isoformat()
    data["valid_to"] = chunk.valid_to.isoformat() if chunk.valid_to else None
    data["parts"] = [asdict(p) for p in chunk.parts]
    return data


def chunk_from_dict(data: Mapping[str, Any]) -> Chunk:
    values = dict(data)
    values["valid_from"] = date.fromisoformat(values["valid_from"])
    values["valid_to"] = date.fromisoformat(values["valid_to"]) if values.get("valid_to") else None
    values["parts"] = tuple(Part(**p) for p in values.get("parts", []))
    return Chunk(**values)


def heading_for(article_label: str, title: str) -> str:
    return f"Điều {article_label}. {title}".strip() if title else f"Điều {article_label}."


def clause_text(clause: Mapping[str, Any]) -> str:
    """The clause with its points; the parser may store points apart from the clause's own text."""
    own = str(clause.get("text", "")).strip()
    points = [_point_line(p) for p in clause.get("points", []) or []]
    missing = [line for line in points if line and _point_body(line) not in own]
    return "\n".join([own, *missing]) if missing else own


def _point_line(point: Mapping[str, Any]) -> str:
    text = str(point.get("text", "")).strip()
    label = str(point.get("label", "")).strip()
    if not label or text.startswith(f"{label})"):
        return text
    return f"{label}) {text}"


def _point_body(line: str) -> str:
    head, sep, tail = line.partition(") ")
    return tail if sep and len(head) <= 2 else line


def _parts_of_clause(clause: Mapping[str, Any]) -> list[Part]:
    number = str(clause.get("number", "")).strip() or None
    parts = [Part(clause=number, point=None, text=clause_text(clause))]
    for point in clause.get("points", []) or []:
        label = str(point.get("label", "")).strip() or None
        text = str(point.get("text", "")).strip()
        if label and text:
            parts.append(Part(clause=number, point=label, text=text))
    return parts


def chunks_from_provision(
    *,
    provision_id: int | str,
    work_number: str,
    version_label: str,
    document_title: str,
    article: int,
    article_label: str,
    title: str,
    text: str,
    clauses: Sequence[Mapping[str, Any]] | None,
    valid_from: date,
    valid_to: date | None,
    scope_unit_code: str | None = None,
    intro: str = "",
    context: str = "",
    split_threshold: int = SPLIT_THRESHOLD_CHARS,
) -> list[Chunk]:
    """Chunks for one provision, from plain values (no database objects) so any caller can use it.

    ``clauses`` is the parser's list of ``{"number", "text", "points": [{"label", "text"}]}``; ``intro`` is
    the text before clause 1, ``context`` the chapter/section titles (indexed, never quoted).
    """
    article_chunk = Chunk(
        id=f"{provision_id}:0",
        provision_id=str(provision_id),
        work_number=work_number,
        version_label=version_label,
        document_title=document_title,
        article=article,
        article_label=article_label,
        clause=None,
        point=None,
        heading=heading_for(article_label, title),
        text=text,
        valid_from=valid_from,
        valid_to=valid_to,
        scope_unit_code=scope_unit_code or None,
        context=context,
    )
    kept = [c for c in clauses or [] if str(c.get("text", "")).strip() or c.get("points")]
    if not kept or len(text) < split_threshold:
        return [replace(article_chunk, parts=tuple(p for c in kept for p in _parts_of_clause(c)))]
    # The lead-in ("Người lao động có các quyền sau đây:") is context for every clause: indexed, not quoted.
    clause_context = "\n".join(line for line in (context, intro.strip()) if line)
    chunks: list[Chunk] = []
    used: set[str] = set()
    for position, clause in enumerate(kept, start=1):
        parts = _parts_of_clause(clause)
        number = parts[0].clause or str(position)
        # A clause number the parser saw twice must not make two chunks share one id.
        key = number if number not in used else f"{number}#{position}"
        used.add(key)
        clause_chunk = replace(
            article_chunk,
            id=f"{provision_id}:{key}",
            clause=number,
            text=parts[0].text,
            context=clause_context,
            parts=tuple(parts[1:]),
        )
        points = parts[1:]
        if len(parts[0].text) <= LONG_CLAUSE_CHARS or len(points) < 2:
            chunks.append(clause_chunk)
            continue
        # A very long clause is a list of separate rules: one chunk per point, the clause's lead-in as context.
        lead = "\n".join(line for line in (clause_context, _clause_lead(parts[0].text, points[0])) if line)
        for index, point in enumerate(points, start=1):
            point_id = f"{clause_chunk.id}.{point.point}"
            point_id = point_id if point_id not in used else f"{point_id}#{index}"
            used.add(point_id)
            chunks.append(
                replace(clause_chunk, id=point_id, point=point.point, text=point.text, context=lead, parts=())
            )
    return chunks


def _clause_lead(text: str, first_point: Part) -> str:
    """The clause's own words before its first point ("... được thực hiện như sau:")."""
    for marker in (f"\n{first_point.point}) ", f"\n{first_point.point})"):
        if marker in text:
            return text.split(marker, 1)[0].strip()
    cut = text.find(first_point.text[:40])
    return text[:cut].strip() if cut > 0 else text.split("\n", 1)[0].strip()


def dedupe(chunks: Iterable[Chunk]) -> dict[str, Chunk]:
    """Chunks by id; the last one wins, as when a provision is re-ingested."""
    return {chunk.id: chunk for chunk in chunks}
