"""Hybrid search: BM25 and dense candidates, filtered first, fused, then grouped into article-level hits.

Filters (date in force, scope) are applied inside each retriever before ranking, and checked again on
every candidate, so a chunk the asker may not see can never surface, however well it matches.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Container, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.dense import DenseIndex
from assistant.retrieval.diacritics import DiacriticRestorer
from assistant.retrieval.filters import PUBLIC_SCOPE, SearchFilter, date_key, scope_key
from assistant.retrieval.lexical import LexicalIndex, top_rows
from assistant.retrieval.quantities import Fit, Span, fit, question_quantities, width
from assistant.retrieval.query_adapter import QueryAdapter
from assistant.retrieval.question_bank import QuestionTerms
from assistant.retrieval.reranker import CANDIDATES as RERANK_CANDIDATES
from assistant.retrieval.reranker import ArticleEvidence, ArticleReranker
from assistant.retrieval.selection import Reference, asked_figure, best_part, names_foreigner, states_figure
from assistant.retrieval.titles import names_title, question_words
from assistant.vietnamese import Lexicon, fold, index_tokens, marked_share

RRF_K = 60
CANDIDATES = 50
# Below this share of marked words a question is treated as typed without marks and restored for e5.
RESTORE_BELOW = 0.5
# How close to the best clause of an article another must score to stand for it when it states the figure
# asked (0.85 and 0.95 measured alike on the eval sets; 0.85 also covers BM25 alone).
FIGURE_CLOSE = 0.85
# The same for a clause written for the age, duration or headcount the question states ("con tôi 14 tuổi":
# "người chưa đủ 15 tuổi", khoản 1 Điều 146) when the article's best clause is not.
QUANTITY_CLOSE = 0.85
# A decree on administrative penalties (NĐ 12/2022) describes each violation in the words of a complaint ("giữ bản
# chính giấy tờ tùy thân", "không ký hợp đồng"), so it outranked the Labour Code article that says what the member may
# do. Its articles count for less unless the question asks about a penalty, and for more when it does. Measured with
# the eval runner (gold clause, development / colloquial tuning sets / held-out 1-6 / scopedev3): 80.3 / 53.9 / 54.8 /
# 60.5% → 80.4 / 54.5 / 56.3 / 62.3%; 0.8 and 0.6 without the boost, and 0.8 with it, gained less.
PENALTY_DEMOTE = 0.7
PENALTY_BOOST = 1.15
_PENALTY_TITLE = "xu phat vi pham hanh chinh"
# "phạt tiền" alone is the employer fining a worker (forbidden by the Labour Code), not a question about penalties.
_ASKS_PENALTY = re.compile(
    r"\b(?:bi phat|phat bao nhieu|muc phat|xu phat|bi xu ly|xu ly the nao|xu ly ra sao|xu ly nhu the nao|che tai"
    r"|phat nhu the nao|phat the nao|phat may|phat ra sao|co bi phat|phat gi|phat nang)\b"
)


@dataclass(frozen=True)
class Hit:
    work_number: str
    version_label: str
    document_title: str
    article: int
    clause: str | None
    point: str | None
    score: float
    text: str
    heading: str
    provision_id: str
    valid_from: date
    valid_to: date | None
    article_label: str = ""
    chunk_id: str = ""


Ranking = list[tuple[int, float]]  # (chunk row, score), best first
MASK_CACHE_SIZE = 256


@dataclass
class FusionConfig:
    """How the two rankings are combined. ``method``: "weighted" (BM25 scaled by its best score, cosine
    min-max scaled, mixed with ``bm25_weight``) or "rrf" (reciprocal rank fusion at article level).

    Weighted is the default because it measured better on the whole shared corpus with all 376 questions of
    the three eval sets (recall@5 0.961 vs 0.938 for RRF k=60, MRR@10 0.852 vs 0.831; bm25_weight 0.4-0.6
    all within 0.01): RRF throws away how far ahead the leader is.

    ``bm25_weight`` 0.6 (fourth session, chosen by the answers' gold-clause rate): against 0.5, development
    sets 75.6% → 77.0% and slangdev 51.2% → 54.3% (0.6-0.7 alike on both), top-1 article 0.775 → 0.782 and
    0.564 → 0.579, for recall@5 0.965 → 0.950 on the development sets. Colloquial questions lean on BM25 and
    the lexicon: e5-small finds less for them."""

    method: str = "weighted"
    rrf_k: int = RRF_K
    bm25_weight: float = 0.6
    candidates: int = CANDIDATES
    expand_dense_query: bool = False
    # Added to an article whose whole title (3+ syllables) appears in the question. Chosen among 0, 0.05, 0.1
    # and 0.2 on the eval sets (own MRR@10 0.849 → 0.866, all 376 questions 0.871 → 0.881).
    title_bonus: float = 0.1


class ChunkTable:
    """The chunks in lexical-index order, with their filter fields as arrays for a vectorised mask, and
    (optionally) their vectors, copied from Chroma at load so a question is scored by one matrix product."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        vectors: np.ndarray | None = None,
        has_vector: np.ndarray | None = None,
    ) -> None:
        self.chunks = list(chunks)
        self.vectors = vectors
        self.has_vector = has_vector if has_vector is not None else np.ones(len(self.chunks), dtype=bool)
        self.row_of = {c.id: i for i, c in enumerate(self.chunks)}
        self.valid_from = np.array([date_key(c.valid_from) for c in self.chunks], dtype=np.int64)
        self.valid_to = np.array([date_key(c.valid_to) for c in self.chunks], dtype=np.int64)
        self.scope = np.array([scope_key(c.scope_unit_code) for c in self.chunks], dtype=object)
        self.clause_row = {(c.provision_id, c.clause): i for i, c in enumerate(self.chunks) if c.clause}
        self._masks: dict[SearchFilter, np.ndarray] = {}
        self._blocked: dict[SearchFilter, tuple[np.ndarray, int]] = {}

    def dense_blocked(self, search_filter: SearchFilter) -> tuple[np.ndarray, int]:
        """Rows the dense search must skip (filtered out, or without a vector) and how many it may use."""
        found = self._blocked.get(search_filter)
        if found is None:
            allowed = self.mask(search_filter) & self.has_vector
            found = (np.flatnonzero(~allowed), int(allowed.sum()))
            if len(self._blocked) >= MASK_CACHE_SIZE:
                self._blocked.clear()
            self._blocked[search_filter] = found
        return found

    def mask(self, search_filter: SearchFilter) -> np.ndarray:
        """Rows the filter allows (read-only). Kept per filter: nearly every question asks about today for
        the same units, and comparing the scope strings of every chunk cost more than BM25 itself."""
        found = self._masks.get(search_filter)
        if found is not None:
            return found
        day = date_key(search_filter.as_of)
        in_force = (self.valid_from <= day) & (day < self.valid_to)
        allowed = [PUBLIC_SCOPE, *search_filter.scopes]
        mask = in_force & np.isin(self.scope, allowed)
        mask.flags.writeable = False
        if len(self._masks) >= MASK_CACHE_SIZE:
            self._masks.clear()
        self._masks[search_filter] = mask
        return mask


class HybridRetriever:
    def __init__(
        self,
        table: ChunkTable,
        lexical: LexicalIndex,
        dense: DenseIndex | None,
        lexicon: Lexicon | None = None,
        fusion: FusionConfig | None = None,
        restorer: DiacriticRestorer | None = None,
        adapter: QueryAdapter | None = None,
        reranker: ArticleReranker | None = None,
        question_terms: QuestionTerms | None = None,
    ) -> None:
        if lexical.ids != [c.id for c in table.chunks]:
            raise ValueError("lexical index and chunk table are out of step")
        self.table = table
        self.lexical = lexical
        self.dense = dense
        self.lexicon = lexicon or Lexicon([])
        self.fusion = fusion or FusionConfig()
        self.restorer = restorer
        self.adapter = adapter
        self.reranker = reranker
        self.question_terms = question_terms

    @property
    def vocabulary(self) -> Container[str]:
        """Every word (folded syllable) of the indexed corpus."""
        return self.lexical.idf

    # --- the three public searches (same signature; the eval runner compares them) ---

    def search(
        self, query: str, k: int = 10, as_of: date | None = None, scopes: Collection[str] | None = None
    ) -> list[Hit]:
        ranking, expanded, asked, penalty, rankings = self._rank(query, as_of, scopes)
        if rankings is None:
            return self._hits(ranking, expanded, k, asked, penalty_factor=penalty)
        return self._hits(ranking, expanded, k, asked, self.fusion.title_bonus, penalty, rankings)

    def article_candidates(
        self, query: str, as_of: date | None = None, scopes: Collection[str] | None = None
    ) -> list[tuple[tuple[str, int], ArticleEvidence]]:
        """The articles the reranker would reorder for this question, in search's order without it, each with
        what both rankings say about it (``make train-reranker`` learns from these)."""
        ranking, expanded, asked, penalty, rankings = self._rank(query, as_of, scopes)
        if rankings is None:
            return []
        unit = asked_figure(expanded)
        fused, adjusted = self._article_scores(ranking, unit, self.fusion.title_bonus, penalty, rankings, asked)
        keys = sorted(adjusted, key=lambda key: -adjusted[key][1])[:RERANK_CANDIDATES]
        evidence = self.article_evidence(keys, fused, adjusted, asked, rankings)
        chunks = [self.table.chunks[fused[key][0]] for key in keys]
        return [((c.work_number, c.article), e) for c, e in zip(chunks, evidence, strict=True)]

    def _rank(
        self, query: str, as_of: date | None, scopes: Collection[str] | None
    ) -> tuple[Ranking, str, Asked, float, Rankings | None]:
        """The fused chunk ranking, the expanded question, what the member typed, the penalty-decree factor, and
        both rankings (None without dense search)."""
        search_filter = SearchFilter.build(as_of, scopes)
        query = self.lexicon.spell_out(query)
        expanded, asked = self.lexicon.expand(query), Asked.of(query)
        lexical_scores = self.lexical.scores(expanded, self.table.mask(search_filter))
        if self.question_terms is not None:
            asked_like = self.question_terms.scores(index_tokens(expanded))
            if asked_like is not None:
                # -inf (filtered out) stays -inf.
                lexical_scores = lexical_scores + asked_like
        lexical = top_rows(lexical_scores, self.fusion.candidates)
        penalty = PENALTY_BOOST if asks_about_penalty(query) else PENALTY_DEMOTE
        if self.dense is None:
            return lexical, expanded, asked, penalty, None
        vector = self._query_vector(self.dense_query(query))
        cosines = self._cosines(vector, search_filter)
        dense = self._dense_ranking(vector, cosines, search_filter)
        scores = Scores(lexical_scores, cosines)
        rankings = Rankings(lexical, dense, scores, penalty == PENALTY_BOOST)
        return self._fuse(lexical, dense, scores), expanded, asked, penalty, rankings

    def search_bm25(
        self, query: str, k: int = 10, as_of: date | None = None, scopes: Collection[str] | None = None
    ) -> list[Hit]:
        search_filter = SearchFilter.build(as_of, scopes)
        query = self.lexicon.spell_out(query)
        expanded = self.lexicon.expand(query)
        return self._hits(self._lexical(expanded, search_filter), expanded, k, Asked.of(query))

    def search_dense(
        self, query: str, k: int = 10, as_of: date | None = None, scopes: Collection[str] | None = None
    ) -> list[Hit]:
        search_filter = SearchFilter.build(as_of, scopes)
        query = self.lexicon.spell_out(query)
        return self._hits(self._dense(self.dense_query(query), search_filter), query, k, Asked.of(query))

    def query_vector(self, query: str) -> np.ndarray | None:
        """The e5 vector search uses for this question (from the query cache when it was just searched)."""
        if self.dense is None:
            return None
        text = self.dense_query(self.lexicon.spell_out(query))
        return np.asarray(self.dense.embedding.embed_query(text), dtype=np.float32)

    def dense_query(self, query: str) -> str:
        """What e5 sees: the question with its marks restored when typed without, optionally expanded."""
        if self.restorer is not None and marked_share(query) < RESTORE_BELOW:
            query = self.restorer.restore(query)
        return self.lexicon.expand(query) if self.fusion.expand_dense_query else query

    # --- candidates ---

    def _lexical(self, text: str, search_filter: SearchFilter) -> Ranking:
        mask = self.table.mask(search_filter)
        return self.lexical.search(text, self.fusion.candidates, mask)

    def _query_vector(self, text: str) -> np.ndarray:
        assert self.dense is not None
        vector = np.asarray(self.dense.embedding.embed_query(text), dtype=np.float32)
        return self.adapter.adapt(vector) if self.adapter is not None else vector

    def _cosines(self, vector: np.ndarray, search_filter: SearchFilter) -> np.ndarray | None:
        """Cosine of every chunk allowed by the filter (-inf for the rest), when the vectors are in memory."""
        if self.table.vectors is None or not self.table.chunks:
            return None
        scores = self.table.vectors @ vector
        scores[self.table.dense_blocked(search_filter)[0]] = -np.inf
        return scores

    def _dense(self, text: str, search_filter: SearchFilter) -> Ranking:
        if self.dense is None or not self.table.chunks:
            return []
        vector = self._query_vector(text)
        return self._dense_ranking(vector, self._cosines(vector, search_filter), search_filter)

    def _dense_ranking(self, vector: np.ndarray, cosines: np.ndarray | None, search_filter: SearchFilter) -> Ranking:
        if self.dense is None or not self.table.chunks:
            return []
        if cosines is not None:
            return top_rows(cosines, self.fusion.candidates, positive_only=False)
        found = self.dense.search_vector(vector.tolist(), self.fusion.candidates, search_filter)
        ranking: Ranking = []
        for chunk_id, score in found:
            row = self.table.row_of.get(chunk_id)
            # Checked again here: the two indexes may briefly disagree while a sync runs.
            if row is not None and search_filter.allows(self.table.chunks[row]):
                ranking.append((row, score))
        return ranking

    def _fuse(self, lexical: Ranking, dense: Ranking, scores: Scores | None = None) -> Ranking:
        if self.fusion.method == "weighted":
            return _weighted_fusion(lexical, dense, self.fusion.bm25_weight, scores)
        return _rrf(self.table.chunks, [lexical, dense], self.fusion.rrf_k)

    # --- from chunk rankings to article hits ---

    def _hits(
        self,
        ranking: Ranking,
        query: str,
        k: int,
        asked: Asked,
        title_bonus: float = 0.0,
        penalty_factor: float = 1.0,
        rankings: Rankings | None = None,
    ) -> list[Hit]:
        """``query`` is the question expanded by the lexicon (matched against the text), ``asked`` what the member
        typed (read for titles and quantities)."""
        unit = asked_figure(query)
        fused, best = self._article_scores(ranking, unit, title_bonus, penalty_factor, rankings, asked)
        candidates = sorted(best, key=lambda key: -best[key][1])
        if self.reranker is not None and rankings is not None:
            candidates = self._reranked(candidates, fused, best, asked, rankings, query)
        reference = Reference.parse(query)
        # An article the question names itself ("Điều 36") comes first; the order above decides among the rest.
        named_first = sorted(
            candidates, key=lambda key: not reference.names_article(self.table.chunks[best[key][0]].article_label)
        )
        weights = self._weights(query)
        foreigners = names_foreigner(asked.words)
        asked_before = self._asked_before(query, [best[key][0] for key in named_first[:k]])
        return [
            self._hit(
                self.table.chunks[self._named_clause(row, reference)],
                score,
                weights,
                reference,
                unit,
                asked.quantities,
                foreigners,
                whole_article=rank == 0,
                asked_before=asked_before.get(row),
            )
            for rank, (row, score) in enumerate(best[key] for key in named_first[:k])
        ]

    def _asked_before(self, query: str, rows: Sequence[int]) -> dict[int, dict[str, float]]:
        """For the chunks among ``rows`` that hold a whole article: what the question bank says about each clause
        (see QuestionTerms.clause_scores)."""
        if self.question_terms is None or not self.question_terms.clause_terms:
            return {}
        tokens = index_tokens(query)
        found: dict[int, dict[str, float]] = {}
        for row in rows:
            scores = self.question_terms.clause_scores(tokens, row)
            if scores:
                found[row] = scores
        return found

    def _article_scores(
        self,
        ranking: Ranking,
        unit: str | None,
        title_bonus: float,
        penalty_factor: float,
        rankings: Rankings | None,
        asked: Asked,
    ) -> tuple[dict[tuple[str, str], tuple[int, float]], dict[tuple[str, str], tuple[int, float]]]:
        """Each article's best chunk and fused score; and the chunk that stands for it (the clause stating a figure
        asked for, or written for the age, duration or headcount the question states) with the score search ranks
        by (title bonus and penalty-decree factor applied)."""
        fused: dict[tuple[str, str], tuple[int, float]] = {}
        for row, score in ranking:
            chunk = self.table.chunks[row]
            key = (chunk.work_number, chunk.article_label)
            if key not in fused or score > fused[key][1]:
                fused[key] = (row, score)
        best = fused
        if unit is not None:
            best = self._with_figure(best, ranking, unit, rankings.scores.dense if rankings else None)
        if asked.quantities:
            best = self._with_quantities(best, fused, ranking, asked.quantities, unit)
        if title_bonus:
            best = self._with_title_bonus(best, asked, title_bonus)
        if penalty_factor != 1.0:
            best = self._with_penalty_factor(best, penalty_factor)
        return fused, best

    def _reranked(
        self,
        candidates: list[tuple[str, str]],
        fused: dict[tuple[str, str], tuple[int, float]],
        adjusted: dict[tuple[str, str], tuple[int, float]],
        asked: Asked,
        rankings: Rankings,
        query: str = "",
    ) -> list[tuple[str, str]]:
        """The first ``reranker.CANDIDATES`` articles in the reranker's order, then the rest as they were. The
        question bank's most similar questions (``query``: the expanded question) add their vote for articles."""
        assert self.reranker is not None
        head = candidates[:RERANK_CANDIDATES]
        evidence = self.article_evidence(head, fused, adjusted, asked, rankings)
        votes = self.question_terms.article_votes(index_tokens(query)) if self.question_terms and query else {}
        chunks = [self.table.chunks[fused[key][0]] for key in head]
        extra = [votes.get((c.work_number.strip().upper(), c.article), 0.0) for c in chunks] if votes else None
        return [head[i] for i in self.reranker.order(evidence, extra)] + candidates[RERANK_CANDIDATES:]

    def article_evidence(
        self,
        keys: Sequence[tuple[str, str]],
        fused: dict[tuple[str, str], tuple[int, float]],
        adjusted: dict[tuple[str, str], tuple[int, float]],
        asked: Asked,
        rankings: Rankings,
    ) -> list[ArticleEvidence]:
        """What both rankings say about each article (see assistant/retrieval/reranker.py)."""
        article = _article_of(self.table.chunks)
        chunks_in: list[dict[tuple[str, str], int]] = []
        places: list[dict[tuple[str, str], int]] = []
        for ranking in (rankings.lexical, rankings.dense):
            counts: dict[tuple[str, str], int] = {}
            place: dict[tuple[str, str], int] = {}
            for row, _ in ranking:
                key = article(row)
                counts[key] = counts.get(key, 0) + 1
                place.setdefault(key, len(place))
            chunks_in.append(counts)
            places.append(place)
        top_bm25 = max((score for _, score in rankings.lexical), default=0.0) or 1.0
        dense_values = [score for _, score in rankings.dense if math.isfinite(score)]
        top_cos, low_cos = (max(dense_values), min(dense_values)) if dense_values else (1.0, 0.0)
        listed_cos = dict(rankings.dense)
        evidence = []
        for key in keys:
            row, score = fused[key]
            chunk = self.table.chunks[row]
            bm25 = float(rankings.scores.lexical[row])
            cosine = float(rankings.scores.dense[row]) if rankings.scores.dense is not None else listed_cos.get(row)
            evidence.append(
                ArticleEvidence(
                    score=adjusted[key][1],
                    fused=score,
                    bm25=max(bm25, 0.0) / top_bm25 if math.isfinite(bm25) else 0.0,
                    cosine=_scaled(cosine, low_cos, top_cos),
                    title=names_title(asked.words, chunk.heading),
                    penalty_document=is_penalty_document(chunk.document_title),
                    asks_penalty=rankings.asks_penalty,
                    decree="NĐ-CP" in chunk.work_number,
                    bm25_chunks=chunks_in[0].get(key, 0),
                    dense_chunks=chunks_in[1].get(key, 0),
                    bm25_rank=places[0].get(key),
                    dense_rank=places[1].get(key),
                )
            )
        return evidence

    def _with_figure(
        self,
        best: dict[tuple[str, str], tuple[int, float]],
        ranking: Ranking,
        unit: str,
        cosines: np.ndarray | None = None,
    ) -> dict[tuple[str, str], tuple[int, float]]:
        """A question asking for a figure ("mấy tháng") is answered by the clause that states one: among an
        article's clauses scored almost as high as its best, one that gives that figure represents it (keeping
        the article's score), when the best one does not. With ``cosines``, the closest in meaning of them
        ("nghỉ phép năm được bao nhiêu ngày": the 12 days of khoản 1 Điều 113, not the travel days of khoản 6);
        otherwise the first in the ranking. Gold clause: development sets 87.1% → 87.3%, held-out +1 question."""
        stating: dict[tuple[str, str], list[int]] = {}
        for row, score in ranking:
            chunk = self.table.chunks[row]
            key = (chunk.work_number, chunk.article_label)
            top_row, top_score = best[key]
            if top_row == row or score < FIGURE_CLOSE * top_score or chunk.clause is None:
                continue
            if states_figure(self.table.chunks[top_row].text, unit) or not states_figure(chunk.text, unit):
                continue
            stating.setdefault(key, []).append(row)
        chosen = dict(best)
        for key, rows in stating.items():
            row = rows[0] if cosines is None else max(rows, key=lambda r: float(cosines[r]))
            chosen[key] = (row, best[key][1])
        return chosen

    def _with_quantities(
        self,
        best: dict[tuple[str, str], tuple[int, float]],
        fused: dict[tuple[str, str], tuple[int, float]],
        ranking: Ranking,
        quantities: tuple[Span, ...],
        unit: str | None,
    ) -> dict[tuple[str, str], tuple[int, float]]:
        """A clause written for the quantities the question states stands for its article (keeping the article's
        score) when the chosen clause is not and it scored almost as high (see QUANTITY_CLOSE); of several, the
        one with the narrowest range, then the best scored."""
        found: dict[tuple[str, str], tuple[float, int]] = {}
        for row, score in ranking:
            chunk = self.table.chunks[row]
            key = (chunk.work_number, chunk.article_label)
            if chunk.clause is None:
                continue
            current = self.table.chunks[best[key][0]]
            if current.clause is None or score < QUANTITY_CLOSE * fused[key][1]:
                continue
            if fit(quantities, current.text) is Fit.FITS:
                continue
            if unit is not None and states_figure(current.text, unit) and not states_figure(chunk.text, unit):
                continue
            if fit(quantities, chunk.text) is not Fit.FITS:
                continue
            narrowest = width(quantities, chunk.text)
            # The ranking is best first: a later clause replaces an earlier one only with a narrower range.
            if key not in found or narrowest < found[key][0]:
                found[key] = (narrowest, row)
        return {**best, **{key: (row, best[key][1]) for key, (_, row) in found.items()}}

    def _with_penalty_factor(
        self, best: dict[tuple[str, str], tuple[int, float]], factor: float
    ) -> dict[tuple[str, str], tuple[int, float]]:
        """Articles of an administrative-penalty decree scaled by ``factor`` (see PENALTY_DEMOTE)."""
        return {
            key: (row, score * factor if is_penalty_document(self.table.chunks[row].document_title) else score)
            for key, (row, score) in best.items()
        }

    def _with_title_bonus(
        self, best: dict[tuple[str, str], tuple[int, float]], asked: Asked, bonus: float
    ) -> dict[tuple[str, str], tuple[int, float]]:
        """A question that spells out an article's whole title ("quyền của đoàn viên công đoàn") is asking
        about that article: it gets a bonus over articles that merely share words with the question."""
        boosted = {}
        for key, (row, score) in best.items():
            if names_title(asked.words, self.table.chunks[row].heading):
                score += bonus
            boosted[key] = (row, score)
        return boosted

    def _named_clause(self, row: int, reference: Reference) -> int:
        """The chunk of the clause the question names, when the article was split by clause."""
        chunk = self.table.chunks[row]
        named = reference.clause_for(chunk.article_label)
        if chunk.clause is None or named is None:
            return row
        return self.table.clause_row.get((chunk.provision_id, named), row)

    def _weights(self, query: str) -> dict[str, float]:
        return {t: self.lexical.idf.get(t, 0.0) for t in set(self.lexical.query_tokens(query))}

    def _hit(
        self,
        chunk: Chunk,
        score: float,
        weights: dict[str, float],
        reference: Reference,
        figure: str | None,
        quantities: tuple[Span, ...] = (),
        foreigners: bool = True,
        whole_article: bool = False,
        asked_before: dict[str, float] | None = None,
    ) -> Hit:
        part = best_part(chunk, weights, reference, figure, quantities, foreigners, whole_article, asked_before)
        return Hit(
            work_number=chunk.work_number,
            version_label=chunk.version_label,
            document_title=chunk.document_title,
            article=chunk.article,
            clause=part.clause if part else chunk.clause,
            point=part.point if part else None,
            score=round(float(score), 6),
            text=part.text if part else chunk.text,
            heading=chunk.heading,
            provision_id=chunk.provision_id,
            valid_from=chunk.valid_from,
            valid_to=chunk.valid_to,
            article_label=chunk.article_label,
            chunk_id=chunk.id,
        )


def asks_about_penalty(query: str) -> bool:
    """Whether the question asks what penalty someone faces ("bị phạt bao nhiêu", "xử lý thế nào")."""
    return bool(_ASKS_PENALTY.search(fold(query)))


@lru_cache(maxsize=256)
def is_penalty_document(title: str) -> bool:
    """A decree on administrative penalties, by its title ("Nghị định quy định xử phạt vi phạm hành chính…")."""
    return _PENALTY_TITLE in fold(title)


def _article_of(chunks: Sequence[Chunk]) -> Callable[[int], tuple[str, str]]:
    return lambda row: (chunks[row].work_number, chunks[row].article_label)


def _rrf(chunks: Sequence[Chunk], rankings: Sequence[Ranking], k: int) -> Ranking:
    """Reciprocal rank fusion at article level: each retriever ranks articles by their best chunk; the
    chunk that represents an article is the best-fused one."""
    article = _article_of(chunks)
    article_score: dict[tuple[str, str], float] = {}
    chunk_score: dict[int, float] = {}
    for ranking in rankings:
        seen: set[tuple[str, str]] = set()
        for rank, (row, _) in enumerate(ranking, start=1):
            chunk_score[row] = chunk_score.get(row, 0.0) + 1.0 / (k + rank)
            key = article(row)
            if key in seen:
                continue
            seen.add(key)
            article_score[key] = article_score.get(key, 0.0) + 1.0 / (k + len(seen))
    # Each article is represented by its best chunk, carrying the article's fused score.
    representative: dict[tuple[str, str], int] = {}
    for row, score in chunk_score.items():
        key = article(row)
        if key not in representative or score > chunk_score[representative[key]]:
            representative[key] = row
    fused = [(representative[key], score) for key, score in article_score.items()]
    return sorted(fused, key=lambda item: -item[1])


@dataclass(frozen=True)
class Asked:
    """What search reads from the question as the member typed it (spelled out, not expanded by the lexicon, whose
    expansions name article titles and age ranges of their own): its words, for title matches, and the ages,
    durations and headcounts it states."""

    words: str
    quantities: tuple[Span, ...]

    @classmethod
    def of(cls, question: str) -> Asked:
        return cls(question_words(question), question_quantities(question))


@dataclass(frozen=True)
class Scores:
    """Every chunk's BM25 score and cosine (None when the vectors are not in memory), -inf where filtered out."""

    lexical: np.ndarray
    dense: np.ndarray | None


@dataclass(frozen=True)
class Rankings:
    """Both rankings of one question and every chunk's scores: what the reranker reads."""

    lexical: Ranking
    dense: Ranking
    scores: Scores
    asks_penalty: bool


def _scaled(value: float | None, low: float, top: float) -> float:
    if value is None or not math.isfinite(value) or value <= low:
        return 0.0
    return (value - low) / (top - low) if top > low else 1.0


def _weighted_fusion(lexical: Ranking, dense: Ranking, bm25_weight: float, scores: Scores | None = None) -> Ranking:
    """Scores scaled to [0, 1] within each list (BM25 by its maximum, cosine by min-max), then mixed.

    With ``scores``, a candidate of one list that the other left out gets its own score there (scaled the same
    way, floored at 0) rather than nothing: "Quyền của người sử dụng lao động là gì?" has Điều 6 first in dense
    search, but its common words kept it out of BM25's 50 and it fell to 35th. Measured with the eval runner
    (gold clause / gold article cited): development sets 86.1 / 93.8% → 87.1 / 94.8%, held-out 1-11 71.2 /
    83.1% → 73.0 / 85.4%."""
    combined: dict[int, float] = {}
    for ranking, other, weight, minmax, full in (
        (lexical, dense, bm25_weight, False, scores.lexical if scores else None),
        (dense, lexical, 1.0 - bm25_weight, True, scores.dense if scores else None),
    ):
        if not ranking:
            continue
        values = [s for _, s in ranking]
        top, low = max(values), (min(values) if minmax else 0.0)
        span = top - low if top > low else 1.0
        for row, score in ranking:
            if math.isfinite(score):
                combined[row] = combined.get(row, 0.0) + weight * (score - low) / span
        if full is None:
            continue
        listed = {row for row, _ in ranking}
        for row, _ in other:
            score = float(full[row])
            if row not in listed and math.isfinite(score) and score > low:
                combined[row] = combined.get(row, 0.0) + weight * (score - low) / span
    return sorted(combined.items(), key=lambda item: -item[1])
