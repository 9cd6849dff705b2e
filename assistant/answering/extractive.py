"""The extractive generator: no model, every word of substance is cut from the retrieved provisions.

It picks the passage and the clause or point that best answer the question, leads with a direct answer
built from that text ("Bạn phải báo trước ... ít nhất 45 ngày ..."), then quotes the provision verbatim.
Because the direct answer is assembled from the quoted clause itself, every number in it is in the
cited text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

from assistant.answering import wording
from assistant.answering.draft import Draft
from assistant.answering.matching import HAS_NUMBER, QueryTerms, Scorer, phrase_key, words
from assistant.answering.passages import Passage, Unit
from assistant.answering.references import refers_to
from assistant.answering.safety import looks_like_injection
from assistant.legal import Citation
from assistant.vietnamese import Lexicon

MAX_CANDIDATES = 4
MAX_QUOTE_CHARS = 900
# Another article is cited beside the first only when retrieval scored it almost as high.
SECOND_CITATION_RATIO = 0.9
SECOND_CANDIDATES = 3
# An article the first one names, or that names it (a decree detailing a law article), is cited beside it when
# retrieval scored it at least this high: development sets cite a gold article 87.8% → 88.3%, the colloquial
# tuning sets 65.8% → 69.0%, slangdev4 59.5% → 62.7%, for about 0.14 more citations per answer.
LINKED_CITATION_RATIO = 0.7
# The same for an article of the same law or decree that one names ("quy định tại Điều 37 của Bộ luật này"):
# gold article 88.3% → 89.1%, 69.0% → 71.3%, 62.7% → 62.7% on the same sets, 0.05-0.09 more citations per answer.
INTERNAL_CITATION_RATIO = 0.8
# Linked articles are looked for among this many retrieved passages, not only the first MAX_CANDIDATES: a
# law article and the decree article detailing it are often far apart in the ranking. Gold clause: scopedev2
# 44.3% → 46.6%, held-out 4 and 5 +1.2 points each, no set lower; development citations 642 → 648.
LINK_CANDIDATES = 10
# Never more articles than this in one answer: beyond, the member no longer reads them.
MAX_CITATIONS = 3
# A point is quoted alone only when it matches clearly better than its sibling points.
POINT_MARGIN = 0.08

_LEAD_END_RE = re.compile(r"\s*(?:như sau|sau đây|gồm|bao gồm)?\s*:\s*$")
_QUANTITY = (" bao nhieu ", " bao lau ", " may ", " toi da ", " toi thieu ", " it nhat ", " muc ", " ty le ")
# Questions that ask for a figure ("bao lâu", "mấy năm"). "Tối thiểu", "mức" and "máy" are left out: they
# also belong to ordinary phrases ("lương tối thiểu", "mức độ", "máy móc").
_FIGURE = (" bao nhieu ", " bao lau ", " may ngay ", " may thang ", " may nam ", " may gio ", " may tieng ",
           " may lan ", " may tuoi ", " may phan tram ")
_REFERENCES = re.compile(
    r"(?:^|\n)\s*\d+[a-z]?\.\s|\b(?:Điều|khoản|điểm|Chương|Mục|Phụ lục)\s+[\dIVXLC]+[a-z]?|\d+/\d{4}/[^\s,;.]+",
    re.IGNORECASE,
)
_FIRST_PERSON = (" toi ", " em ", " minh ", " chung toi ", " chung em ")


@dataclass(frozen=True)
class Selection:
    passage: Passage
    unit: Unit | None
    score: float


class ExtractiveGenerator:
    name = "extractive"

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon

    def select(self, question: str, passages: Sequence[Passage], focus: str | None = None) -> list[Selection]:
        """The provisions to cite, best first (empty when nothing was retrieved). ``focus`` is the latest
        message of a follow-up: its words decide between the points of a clause ("dưới 12 tháng").

        Retrieval's order decides the article and its clause: it measured better than re-scoring the
        candidates here (gold clause cited 70.7% against 67.4% on the eval sets). A runner-up article is
        cited beside it when retrieval scored it almost as high, since then either may be the one meant.
        A definition question ("mức lương tối thiểu là gì") is the exception: the clause that defines the term
        answers it ("Mức lương tối thiểu là mức lương thấp nhất…"), in whichever retrieved article holds it."""
        candidates = list(passages[:MAX_CANDIDATES])
        if not candidates:
            return []
        units = {p.number: [u for u in p.units() if not looks_like_injection(u.text)] for p in candidates}
        corpus = [u.text for p in candidates for u in units[p.number]] or [p.source_text for p in candidates]
        # Colloquial words ("nghỉ việc") are matched through the legal terms they stand for.
        expanded = self.lexicon.expand(question) if self.lexicon else question
        scorer = Scorer(QueryTerms.of(expanded), corpus, quantity=asks_quantity(question))
        point_scorer = Scorer(QueryTerms.of(focus), corpus) if focus and focus != question else None
        subject = defined_term(question)

        def unit_of(passage: Passage) -> Unit | None:
            definition = defining_unit(subject, units[passage.number]) if subject else None
            return definition or self._unit(scorer, point_scorer, passage, units[passage.number])

        best = candidates[0]
        if subject and defining_unit(subject, units[best.number]) is None:
            # A definition question is answered by the article that defines the term, if one was retrieved.
            best = next((p for p in candidates if defining_unit(subject, units[p.number])), best)
        chosen = [Selection(best, unit_of(best), best.score)]
        for passage in candidates[:SECOND_CANDIDATES]:
            if not runner_up(best, passage) or any(s.passage.key == passage.key for s in chosen):
                continue
            chosen.append(Selection(passage, unit_of(passage), passage.score))
        for passage in passages[:LINK_CANDIDATES]:
            if len(chosen) >= MAX_CITATIONS or any(s.passage.key == passage.key for s in chosen):
                continue
            ratio = linked(best, passage)
            if ratio is not None and passage.score >= ratio * best.score:
                if passage.number not in units:
                    units[passage.number] = [u for u in passage.units() if not looks_like_injection(u.text)]
                chosen.append(Selection(passage, unit_of(passage), passage.score))
        return chosen

    def relevance(
        self,
        question: str,
        passages: Sequence[Passage],
        known: Container[str] | None = None,
        about_work: bool = False,
    ) -> float:
        """How much of the question the best candidate covers (0..1), to tell "nothing relevant" apart.

        With ``known`` (the corpus vocabulary), shorthand no provision contains ("mn", "z", "3tr") is left
        out: no provision could cover it, and as the rarest words it weighed the most. For a question known
        to be ``about_work``, so are everyday words the legal texts never use ("luôn", "quê", "cơm trưa").

        The candidates are the passages retrieval scored highest, not the first ones: the reranker's order is not
        the score's, and the thresholds were set on the latter."""
        candidates = relevance_candidates(passages)
        if not candidates:
            return 0.0
        terms = QueryTerms.of(question)
        if known is not None:
            terms = terms.without_shorthand(known, everyday=about_work)
            if not terms.unigrams:
                return 0.0
        scorer = Scorer(terms, [f"{p.heading}\n{p.source_text}" for p in candidates])
        return max(scorer.coverage(f"{p.document_title}\n{p.heading}\n{p.source_text}") for p in candidates)

    @staticmethod
    def vocabulary_of(text: str) -> set[str]:
        """The words of a text as ``relevance`` compares them (folded syllables)."""
        return set(words(text))

    def _unit(
        self, scorer: Scorer, point_scorer: Scorer | None, passage: Passage, units: list[Unit]
    ) -> Unit | None:
        """The clause retrieval chose for this article, or one of its points when the question's words
        (or a follow-up's: "còn hợp đồng dưới 12 tháng thì sao?") single it out."""
        in_clause = [u for u in units if passage.clause is not None and u.clause == passage.clause]
        if not in_clause:
            return self._best_unit(scorer, point_scorer or scorer, passage, units)
        whole = next((u for u in in_clause if u.point is None), None)
        points = [u for u in in_clause if u.point is not None]
        chosen = self._clear_point(point_scorer or scorer, points)
        if chosen is None and whole is None:
            chosen = next((u for u in points if u.point == passage.point), None)
        return chosen or whole or in_clause[0]

    @staticmethod
    def _clear_point(scorer: Scorer, points: list[Unit]) -> Unit | None:
        """The point that matches clearly better than its siblings, if one does."""
        if len(points) < 2:
            return None
        ranked = sorted(points, key=lambda u: -scorer.score(f"{u.lead}\n{u.text}"))
        top = scorer.score(f"{ranked[0].lead}\n{ranked[0].text}")
        runner = scorer.score(f"{ranked[1].lead}\n{ranked[1].text}")
        return ranked[0] if top - runner >= POINT_MARGIN else None

    def _best_unit(
        self, scorer: Scorer, point_scorer: Scorer, passage: Passage, units: list[Unit]
    ) -> Unit | None:
        if not units:
            return None
        clauses = {u.clause for u in units if u.clause is not None}
        if len(clauses) > 1 and len(passage.source_text) <= MAX_QUOTE_CHARS:
            # Retrieval names no clause of an article that has several: the question is about the article as a
            # whole ("thử việc tối đa bao lâu" and its four cases), and a short one is quoted whole.
            return None
        wholes = [u for u in units if u.point is None]
        points = [u for u in units if u.point is not None]
        scored_wholes = sorted(wholes, key=lambda u: -scorer.score(u.text))
        best_whole = scored_wholes[0] if scored_wholes else None
        if (
            best_whole is not None
            and scorer.score(best_whole.text) <= 0
            and len(passage.source_text) <= MAX_QUOTE_CHARS
        ):
            return None
        siblings = [p for p in points if best_whole is None or p.clause == best_whole.clause]
        return self._clear_point(point_scorer, siblings) or best_whole

    def generate(self, question: str, passages: Sequence[Passage], focus: str | None = None) -> Draft | None:
        selections = self.select(question, passages, focus)
        if not selections:
            return None
        first_person = any(p in phrase_key(question) for p in _FIRST_PERSON)
        citations = [self._citation(s) for s in selections]
        lead = direct_answer(selections[0], first_person)
        blocks = [lead] if lead else []
        if asks_figure(question) and not any(states_figure(c.quote) for c in citations):
            # The closest provisions state no figure: say so rather than let them pass for the answer.
            blocks = [wording.NO_FIGURE]
        for number, citation in enumerate(citations):
            intro = "Xem thêm" if number else ("Căn cứ" if lead else "Theo")
            blocks.append(f"{intro} {citation.label()}:\n“{citation.quote}”")
        notes = [
            f"chọn {c.label()} (điểm số {s.score:.2f})" for c, s in zip(citations, selections, strict=True)
        ]
        return Draft(body="\n\n".join(blocks), citations=citations, generator=self.name, notes=notes)

    def _citation(self, selection: Selection) -> Citation:
        passage, unit = selection.passage, selection.unit
        text = unit.text if unit else passage.source_text
        return passage.citation(unit, quote=trim_quote(text))


def relevance_candidates(passages: Sequence[Passage]) -> list[Passage]:
    """The ``MAX_CANDIDATES`` passages retrieval scored highest, whatever order the reranker put them in."""
    return sorted(passages, key=lambda p: -p.score)[:MAX_CANDIDATES]


_DEFINITION_QUESTION = re.compile(
    r"^(?:cho (?:toi|em|minh) hoi )?(.+?) (?:la gi|nghia la gi|duoc hieu la gi|la the nao)$"
)


def defined_term(question: str) -> str:
    """The term a definition question asks about ("Phụ lục hợp đồng lao động là gì?" → "phu luc hop dong lao
    dong"), folded; "" for other questions."""
    match = _DEFINITION_QUESTION.match(phrase_key(question).strip())
    return match.group(1) if match and len(match.group(1).split()) >= 2 else ""


def defining_unit(term: str, units: Sequence[Unit]) -> Unit | None:
    """The clause that defines ``term`` ("Phụ lục hợp đồng lao động là bộ phận của hợp đồng lao động…"), if one
    does: it starts with the term followed by "là"."""
    for unit in units:
        if unit.point is None and phrase_key(_strip_label(unit.text.split("\n")[0])).startswith(f" {term} la "):
            return unit
    return None


def linked(best: Passage, other: Passage) -> float | None:
    """When one of the two articles names the other (Điều 55 NĐ 145/2020 → "Điều 98 của Bộ luật Lao động",
    Điều 36 → "Điều 37 của Bộ luật này"), the share of the first's score the other needs to be cited."""
    if best.work_number == other.work_number and best.version_label == other.version_label:
        internal = refers_to(best.source_text, "", other.article, same_work=True) or refers_to(
            other.source_text, "", best.article, same_work=True
        )
        return INTERNAL_CITATION_RATIO if internal else None
    named = refers_to(best.source_text, other.document_title, other.article) or refers_to(
        other.source_text, best.document_title, best.article
    )
    return LINKED_CITATION_RATIO if named else None


def runner_up(best: Passage, other: Passage) -> bool:
    return best.score > 0 and other.key != best.key and other.score >= SECOND_CITATION_RATIO * best.score


def asks_figure(question: str) -> bool:
    return any(marker in phrase_key(question) for marker in _FIGURE)


def states_figure(text: str) -> bool:
    """Whether the text gives a figure ("45 ngày", "75%", a table of amounts), not counting the numbers that
    only label or refer ("1. ", "khoản 2 Điều 61", "145/2020/NĐ-CP")."""
    if HAS_NUMBER.search(text):
        return True
    return bool(re.search(r"\d", _REFERENCES.sub(" ", text)))


def asks_quantity(question: str) -> bool:
    """ "bao nhiêu ngày", "tối đa bao lâu", "mấy tháng": the answer is a number; prefer text with one."""
    key = phrase_key(question)
    return any(marker in key for marker in _QUANTITY)


def trim_quote(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """A verbatim prefix of ``text`` that ends at a line or sentence boundary and fits ``limit``."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for boundary in ("\n", ". ", "; "):
        index = cut.rfind(boundary)
        if index > limit // 3:
            return cut[: index + (1 if boundary != "\n" else 0)].rstrip()
    return cut.rstrip()


def _strip_label(line: str) -> str:
    return re.sub(r"^(?:\d+[a-z]?\.|[a-zđ]\d?\))\s+", "", line.strip())


def _sentence(text: str) -> str:
    text = text.strip().rstrip(";,.: ")
    return f"{text}." if text else ""


def direct_answer(selection: Selection, first_person: bool) -> str:
    """A one-sentence answer taken from the chosen text: the clause's lead joined to the chosen point,
    or the first sentence of the chosen clause."""
    unit = selection.unit
    if unit is None:
        return ""
    if unit.point and unit.lead:
        lead = _LEAD_END_RE.sub("", _strip_label(unit.lead.split("\n")[-1]))
        body = _strip_label(unit.text.split("\n")[0])
        if not lead or len(lead) > 300:
            return ""
        sentence = _sentence(f"{lead} {body[:1].lower()}{body[1:]}")
    else:
        return ""
    if first_person and sentence.startswith("Người lao động "):
        sentence = "Bạn " + sentence[len("Người lao động ") :]
    return sentence
