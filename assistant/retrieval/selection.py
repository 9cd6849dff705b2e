"""Which clause (khoản) and point (điểm) of a hit answers the question: the one sharing the most
informative words with it (IDF-weighted overlap on folded syllables and their joins)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.retrieval.chunks import Chunk, Part
from assistant.retrieval.lexical import MAX_NGRAM
from assistant.vietnamese import syllables

# A point is quoted alone only when it clearly beats its siblings; otherwise the whole clause is clearer.
POINT_MARGIN = 1.5


def text_keys(text: str) -> set[str]:
    parts = syllables(text)
    keys = set(parts)
    for size in range(2, MAX_NGRAM + 1):
        keys.update("_".join(parts[i : i + size]) for i in range(len(parts) - size + 1))
    return keys


def overlap(text: str, weights: dict[str, float]) -> float:
    keys = text_keys(text)
    return sum(w for token, w in weights.items() if token in keys)


def _best(parts: Sequence[Part], weights: dict[str, float]) -> tuple[Part | None, float, float]:
    """Best part, its score and the runner-up's score; ties go to the earlier part."""
    best: Part | None = None
    best_score = second = 0.0
    for part in parts:
        score = overlap(part.text, weights)
        if score > best_score:
            best, second, best_score = part, best_score, score
        elif score > second:
            second = score
    return best, best_score, second


def best_point(clause: str | None, parts: Sequence[Part], weights: dict[str, float]) -> Part | None:
    points = [p for p in parts if p.point and p.clause == clause]
    if len(points) < 2:
        return None
    best, score, second = _best(points, weights)
    if best is None or score < POINT_MARGIN * second:
        return None
    return best


def best_part(chunk: Chunk, weights: dict[str, float]) -> Part | None:
    """For a clause chunk: the clause itself or one of its points. For a whole-article chunk: its best
    clause (or point). None when the article has no clauses."""
    if chunk.clause is not None:
        point = best_point(chunk.clause, chunk.parts, weights)
        return point or Part(clause=chunk.clause, point=None, text=chunk.text)
    clauses = [p for p in chunk.parts if p.point is None]
    if not clauses:
        return None
    chosen, _, _ = _best(clauses, weights)
    chosen = chosen or clauses[0]
    return best_point(chosen.clause, chunk.parts, weights) or chosen
