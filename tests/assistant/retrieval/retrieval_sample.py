"""Real articles for the retrieval tests, read in place from the shared corpus with a tiny parser.

Only what the tests need: "Điều N. Title", clauses "1. ...", points "a) ...". The real structure parser
lives in ingestion/; this one must not depend on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from assistant.retrieval.chunks import Chunk, chunks_from_provision

SHARED_RAW = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "raw"
BLLD_2019 = SHARED_RAW / "blld-2019-vbhn-18-2026-vpqh.txt"
BLLD_2012 = SHARED_RAW / "blld-2012-10-2012-qh13.txt"

_ARTICLE = re.compile(r"^Điều (\d+)\.\s*(.*)$")
_CLAUSE = re.compile(r"^(\d+)\.\s+")
_POINT = re.compile(r"^([a-zđ])\)\s+(.*)$")
_FOOTNOTE = re.compile(r"\[\d+\]")


@dataclass
class Article:
    number: int
    title: str
    lines: list[str] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@lru_cache(maxsize=4)
def parse_articles(path: Path) -> dict[int, Article]:
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path}")
    articles: dict[int, Article] = {}
    current: Article | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("[1]"):
            break  # footnotes of the consolidated text
        line = _FOOTNOTE.sub("", raw).strip()
        match = _ARTICLE.match(line)
        if match:
            current = articles.setdefault(int(match.group(1)), Article(int(match.group(1)), match.group(2)))
            continue
        if current is None or not line or line.startswith(("Chương ", "Mục ")):
            continue
        current.lines.append(line)
        if _CLAUSE.match(line):
            current.clauses.append({"number": _CLAUSE.match(line).group(1), "text": line, "points": []})  # type: ignore[union-attr]
        elif current.clauses:
            point = _POINT.match(line)
            clause = current.clauses[-1]
            clause["text"] += "\n" + line
            if point:
                clause["points"].append({"label": point.group(1), "text": point.group(2)})
            elif clause["points"]:
                clause["points"][-1]["text"] += "\n" + line
    return articles


def article_chunks(
    numbers: list[int],
    *,
    path: Path = BLLD_2019,
    work_number: str = "45/2019/QH14",
    version_label: str = "18/VBHN-VPQH",
    title: str = "Bộ luật Lao động",
    valid_from: date = date(2021, 1, 1),
    valid_to: date | None = None,
    scope_unit_code: str | None = None,
    id_prefix: str = "blld",
) -> list[Chunk]:
    articles = parse_articles(path)
    chunks: list[Chunk] = []
    for number in numbers:
        article = articles[number]
        chunks += chunks_from_provision(
            provision_id=f"{id_prefix}-{number}",
            work_number=work_number,
            version_label=version_label,
            document_title=title,
            article=number,
            article_label=str(number),
            title=article.title,
            text=article.text,
            clauses=article.clauses,
            valid_from=valid_from,
            valid_to=valid_to,
            scope_unit_code=scope_unit_code,
        )
    return chunks


# Articles of the Labour Code 2019 the retrieval tests search in: contracts, probation, termination, wages,
# working time, overtime, leave, maternity, discipline, retirement.
BLLD_ARTICLES = [
    13,
    20,
    24,
    25,
    26,
    27,
    34,
    35,
    36,
    46,
    47,
    90,
    94,
    97,
    98,
    105,
    107,
    113,
    114,
    115,
    125,
    137,
    139,
    169,
]
