"""Retrieved passages as the answering code sees them, and the clauses/points inside each one.

The chain takes hits from any retriever that follows :class:`Retriever` and turns each into a numbered
:class:`Passage`. Only passages can be cited, and every quote is cut from a passage's stored text, so a
citation can never point at something that was not retrieved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from assistant.legal import Citation

_CLAUSE_RE = re.compile(r"^(\d+[a-z]?)\.\s")
_POINT_RE = re.compile(r"^([a-zđ]\d?)\)\s")


class Retriever(Protocol):
    """What the chain needs from retrieval (assistant.retrieval.hybrid.HybridRetriever follows it)."""

    def search(
        self, query: str, k: int = 10, as_of: date | None = None, scopes: list[str] | None = None
    ) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Unit:
    """A clause or point (or the article's lead-in) inside a passage; ``text`` is a verbatim slice."""

    clause: str | None
    point: str | None
    text: str
    lead: str = ""  # the clause's own sentence when this unit is one of its points ("... như sau:")


@dataclass(frozen=True)
class Passage:
    number: int
    work_number: str
    version_label: str
    document_title: str
    article: int
    clause: str | None
    point: str | None
    heading: str
    text: str
    score: float
    valid_from: date | None
    valid_to: date | None
    provision_id: str = ""
    context: str = ""  # the whole article the hit belongs to, when the chain could look it up

    @classmethod
    def from_hit(cls, hit: Any, number: int) -> Passage:
        clause = getattr(hit, "clause", None)
        return cls(
            number=number,
            work_number=str(hit.work_number),
            version_label=str(getattr(hit, "version_label", "") or ""),
            document_title=str(getattr(hit, "document_title", "") or ""),
            article=int(hit.article),
            clause=str(clause) if clause not in (None, "") else None,
            point=getattr(hit, "point", None) or None,
            heading=str(getattr(hit, "heading", "") or ""),
            text=str(hit.text),
            score=float(getattr(hit, "score", 0.0) or 0.0),
            valid_from=getattr(hit, "valid_from", None),
            valid_to=getattr(hit, "valid_to", None),
            provision_id=str(getattr(hit, "provision_id", "") or ""),
        )

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.work_number, self.version_label, self.article)

    @property
    def source_text(self) -> str:
        """Everything of this retrieved article that may be quoted: the article, or else the hit's text."""
        return self.context or self.text

    def units(self) -> list[Unit]:
        if self.context:
            return list(units_of(self.context))
        return list(units_of(self.text, self.clause, self.point))

    def citation(self, unit: Unit | None = None, quote: str | None = None) -> Citation:
        whole_article = unit is None and bool(self.context)
        clause = unit.clause if unit else (None if whole_article else self.clause)
        point = unit.point if unit else (None if whole_article else self.point)
        return Citation(
            work_number=self.work_number,
            version_label=self.version_label,
            document_title=self.document_title,
            article=self.article,
            clause=_clause_value(clause),
            point=point,
            quote=quote if quote is not None else (unit.text if unit else self.source_text),
            valid_from=self.valid_from,
            valid_to=self.valid_to,
        )

    def trace(self) -> dict[str, Any]:
        return {
            "n": self.number,
            "work_number": self.work_number,
            "version_label": self.version_label,
            "article": self.article,
            "clause": self.clause,
            "point": self.point,
            "score": round(self.score, 4),
            "provision_id": self.provision_id,
        }


def _clause_value(clause: str | None) -> int | str | None:
    if clause is None:
        return None
    return int(clause) if clause.isdigit() else clause


@lru_cache(maxsize=20_000)
def units_of(text: str, clause: str | None = None, point: str | None = None) -> tuple[Unit, ...]:
    """``split_units``, cached: the same articles come back for many questions, and each answer reads their
    units several times."""
    return tuple(split_units(text, clause, point))


def split_units(text: str, clause: str | None = None, point: str | None = None) -> list[Unit]:
    """Cut a passage into its lead-in, clauses and points, each a contiguous verbatim slice of ``text``.

    A line that starts neither a clause ("1. ") nor a point ("a) ") continues the unit before it, so a
    point that runs over two lines stays whole. A clause with points also yields itself whole. ``clause``
    and ``point`` say where a text cut from inside an article starts (a retrieval hit of one point).
    """
    if point and not _POINT_RE.match(text) and not _CLAUSE_RE.match(text):
        return [Unit(clause, point, text.strip())] if text.strip() else []
    blocks: list[tuple[str | None, str | None, list[str]]] = []
    current_clause = clause
    for line in text.split("\n"):
        clause_match = _CLAUSE_RE.match(line)
        point_match = _POINT_RE.match(line)
        if clause_match:
            current_clause = clause_match.group(1)
            blocks.append((current_clause, None, [line]))
        elif point_match and blocks:
            blocks.append((current_clause, point_match.group(1), [line]))
        elif blocks and line.strip():
            blocks[-1][2].append(line)
        elif line.strip():
            blocks.append((current_clause, None, [line]))
    units: list[Unit] = []
    lead_of: dict[str | None, str] = {}
    for index, (unit_clause, point, lines) in enumerate(blocks):
        body = "\n".join(lines).strip()
        if point is None:
            lead_of[unit_clause] = body
            followers = [b for b in blocks[index + 1 :] if b[0] == unit_clause and b[1] is not None]
            if followers:
                whole = "\n".join([*lines, *(line for b in followers for line in b[2])]).strip()
                units.append(Unit(unit_clause, None, whole))
                continue
        units.append(Unit(unit_clause, point, body, lead_of.get(unit_clause, "") if point else ""))
    return [u for u in units if u.text and u.text in text]
