"""Per-provision work done once, when the index is loaded, instead of on the first question that meets it.

Answering a question reads the whole article of each hit and scores its clauses and points: their words and
word pairs, whether a line tries to instruct the assistant, which other articles they name, the BM25 counts of
each part. All of it depends only on the provision text, and the answering code caches it per text; a server
that has just started has met none of it, so every early question paid for its provisions. The corpus is
small (about 1,300 articles and 7,000 clauses and points for the whole shared corpus), so preparing all of it
takes a second or two at start-up and keeps that work off every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.matching import text_terms
from assistant.answering.passages import units_of
from assistant.answering.references import referenced_articles
from assistant.answering.safety import looks_like_injection
from assistant.retrieval.chunks import Chunk
from assistant.retrieval.selection import warm_part_counts

# The per-text caches hold about 20,000 clauses and points (see safety.looks_like_injection): a corpus larger
# than this many articles is prepared in part, laws in force first, and the rest is computed when first met.
MAX_PREPARED_ARTICLES = 3000


@dataclass(frozen=True)
class Prepared:
    articles: int
    units: int
    parts: int


def prepare_provisions(
    chunks: Sequence[Chunk],
    article_texts: Callable[[Sequence[str]], dict[str, str]] | None,
    limit: int = MAX_PREPARED_ARTICLES,
) -> Prepared:
    """Fill the per-text caches for the indexed chunks and, when given, the articles they belong to (at most
    ``limit`` articles, those in force first)."""
    in_force_first = sorted(chunks, key=lambda c: c.valid_to is not None)
    headings: dict[str, tuple[str, str]] = {}
    for chunk in in_force_first:
        if chunk.provision_id and len(headings) < limit:
            headings.setdefault(chunk.provision_id, (chunk.document_title, chunk.heading))
    parts = sum(warm_part_counts(chunk) for chunk in in_force_first if chunk.provision_id in headings)
    if article_texts is None:
        return Prepared(0, 0, parts)
    texts = article_texts(sorted(headings))
    units = 0
    for provision_id, text in texts.items():
        title, heading = headings[provision_id]
        _prepare_article(text, title, heading)
        units += len(units_of(text))
    return Prepared(len(texts), units, parts)


def _prepare_article(text: str, title: str, heading: str) -> None:
    """The same calls, with the same strings, that answering makes for a hit on this article."""
    referenced_articles(text)
    # ExtractiveGenerator.relevance scores these two shapes of the article.
    text_terms(f"{heading}\n{text}")
    text_terms(f"{title}\n{heading}\n{text}")
    for unit in units_of(text):
        looks_like_injection(unit.text)
        text_terms(unit.text)
        if unit.point is not None:
            text_terms(f"{unit.lead}\n{unit.text}")
