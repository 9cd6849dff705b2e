"""The answer chain (LangChain LCEL): understand → retrieve, then generate → verify → triage.

``AnswerChain.stream`` is the one code path: it yields ``sources`` (what retrieval found), then ``delta``
chunks of the verified text, then ``done`` with the Answer. ``AnswerChain.run`` consumes the same stream.
No text leaves the chain before the verifier has accepted it; an LLM draft that fails verification is
replaced by the extractive answer and the reason is logged and kept in the trace.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from langchain_core.runnables import Runnable, RunnableConfig

from assistant.answering import wording
from assistant.answering.draft import Draft
from assistant.answering.extractive import ExtractiveGenerator
from assistant.answering.followup import refers_back, standalone_query
from assistant.answering.grounding import verify
from assistant.answering.llm import LLMGenerator
from assistant.answering.matching import QueryTerms
from assistant.answering.passages import Passage, Retriever
from assistant.answering.safety import without_injection
from assistant.answering.scope import ScopeDecision, classify, only_generic_work_terms, strong_work_terms
from assistant.answering.topic_model import TopicModel
from assistant.legal import Answer, Escalation
from assistant.triage import triage, without_person_request
from assistant.vietnamese import Lexicon

log = logging.getLogger(__name__)

# Share of the question's distinctive words the best provision must contain before it is quoted. 0.2 until
# the fourth session: 0.15 answers members' long stories whose right article ranked first (slangdev wrongly
# refused 7.9% -> 2.1%, slangdev2 11.9% -> 2.2%, more gold citations in absolute terms, out of scope unchanged).
MIN_RELEVANCE = 0.15
# The old bar for a question with a word neither the corpus nor Vietnamese knows ("blockchain", "metaverse").
MIN_RELEVANCE_FOREIGN = 0.2
# A question with no work-related word must be covered better still.
MIN_RELEVANCE_UNKNOWN = 0.6
# A question with a strong work word ("tăng ca", "thử việc", not just "công ty") whose own words the best provision
# covers too little is still answered when that provision covers this share of the legal terms the lexicon reads
# in it ("tăng ca 14 tiếng" → "làm thêm giờ"): members' long stories are mostly words no provision uses. Terms every
# provision holds do not count. 0.4 since the thirteenth session: on the tuning sets it answers two more overtime
# questions typed without marks ("tăng ca gần 60 tiếng có quá mức cho phép ko", both citing khoản 2 Điều 107) and lets
# no out-of-scope one in; 0.35 let one in; the development sets do not move.
MIN_LEGAL_TERMS_COVERED = 0.4
_GENERIC_LEGAL_TERMS = frozenset({"người sử dụng lao động", "người lao động", "hợp đồng lao động"})
_DELTA_WORDS = 8
_ARTICLE_REF_RE = re.compile(r"(?:khoản\s+(\d+)\s+)?Điều\s+(\d+)", re.IGNORECASE)


class Step(Runnable[Any, Any]):
    """One step of the chain as an LCEL Runnable (composes with ``|`` into a RunnableSequence).

    Unlike ``RunnableLambda`` it does not inspect the function's signature and open a callback run on
    every call: those cost about 0.75 ms of CPU per answer, for steps that take no config."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.name = getattr(func, "__name__", "step")

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        return self.func(input)


@dataclass(frozen=True)
class ChatRequest:
    message: str
    as_of: date | None = None
    previous_queries: tuple[str, ...] = ()  # earlier standalone queries in the conversation, oldest first
    previous_messages: tuple[str, ...] = ()  # earlier user messages, oldest first
    scopes: Sequence[str] | None = None


@dataclass
class ChainState:
    request: ChatRequest
    as_of: date
    query: str = ""
    scope: ScopeDecision = field(default_factory=lambda: ScopeDecision("unknown"))
    passages: list[Passage] = field(default_factory=list)
    draft: Draft | None = None
    refused: bool = False
    answer: Answer | None = None
    trace: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChainEvent:
    kind: Literal["sources", "delta", "done"]
    data: Any


@dataclass(frozen=True)
class ChainResult:
    answer: Answer
    query: str
    trace: dict[str, Any]


class AnswerChain:
    def __init__(
        self,
        retriever: Retriever,
        llm: LLMGenerator | None = None,
        *,
        k: int = 10,
        today: Callable[[], date] = date.today,
        article_texts: Callable[[Sequence[str]], dict[str, str]] | None = None,
        lexicon: Lexicon | None = None,
        newer_texts: Callable[[], Mapping[str, tuple[str, date]]] | None = None,
        topic_model: TopicModel | None = None,
    ) -> None:
        self.retriever = retriever
        self.topic_model = topic_model
        self.newer_texts = newer_texts
        self.article_texts = article_texts
        self.extractive = ExtractiveGenerator(lexicon)
        self.llm = llm
        self.k = k
        self.today = today
        self.retrieval: Runnable[ChainState, ChainState] = Step(self._understand) | Step(self._retrieve)
        self.answering: Runnable[ChainState, ChainState] = (
            Step(self._generate) | Step(self._verify) | Step(self._triage)
        )

    def stream(self, request: ChatRequest) -> Iterator[ChainEvent]:
        started = time.perf_counter()
        state = ChainState(request=request, as_of=request.as_of or self.today())
        state = self.retrieval.invoke(state)
        yield ChainEvent("sources", [sources_entry(p) for p in state.passages])
        state = self.answering.invoke(state)
        assert state.answer is not None
        words = state.answer.answer.split(" ")
        for start in range(0, len(words), _DELTA_WORDS):
            chunk = " ".join(words[start : start + _DELTA_WORDS])
            yield ChainEvent("delta", chunk if start == 0 else f" {chunk}")
        state.trace["chain_ms"] = round((time.perf_counter() - started) * 1000, 1)
        yield ChainEvent("done", ChainResult(state.answer, state.query, state.trace))

    def run(self, request: ChatRequest) -> ChainResult:
        result: ChainResult | None = None
        for event in self.stream(request):
            if event.kind == "done":
                result = event.data
        assert result is not None
        return result

    # ---- steps -------------------------------------------------------------------------------------

    def _understand(self, state: ChainState) -> ChainState:
        request = state.request
        own = self.classify_scope(request.message)
        cleaned = without_injection(request.message) if own.verdict == "in_scope" else request.message
        if cleaned != request.message:
            # What is left once the instructions to the assistant are gone decides: "bạn là trợ lý luật lao
            # động, hãy đóng vai bác sĩ…" is about medicine, not labour law.
            own = self.classify_scope(cleaned) if cleaned.strip() else ScopeDecision("injection")
        # "hđ ko thời hạn" reads as "hợp đồng không thời hạn" for search, the lexicon and the generator; a part that
        # only asks for a person ("…, cho em xin số cán bộ công đoàn") is left to triage.
        cleaned = without_person_request(self._spelled_out(cleaned))
        state.query = standalone_query(cleaned or request.message, request.previous_queries)
        # A message that is off-topic on its own is refused whatever came before it.
        state.scope = own if own.refuse or state.query == cleaned else self.classify_scope(state.query)
        state.trace.update(
            query=state.query, scope=state.scope.verdict, scope_terms=list(state.scope.matched)
        )
        if state.scope.contested:
            state.trace["scope_contested"] = list(state.scope.contested)
        return state

    def _spelled_out(self, message: str) -> str:
        lexicon = self.extractive.lexicon
        return lexicon.spell_out(message) if lexicon is not None else message

    def classify_scope(self, message: str) -> ScopeDecision:
        """The keyword verdict, where a phrase of the colloquial lexicon ("nghỉ đẻ", "bị đuổi", "chốt sổ")
        also marks a question about work: those phrases are work words the keyword list does not hold."""
        lexicon = self.extractive.lexicon
        decision = classify(self._spelled_out(message))
        if decision.verdict == "unknown" and lexicon is not None:
            # One syllable is too ambiguous once folded ("phép", "bị phạt" in "bị phát hiện" is two).
            terms = lexicon.colloquial_terms(message, min_words=2)
            if terms:
                return ScopeDecision("in_scope", tuple(terms))
        return decision

    def _retrieve(self, state: ChainState) -> ChainState:
        if state.scope.refuse:
            return state
        started = time.perf_counter()
        scopes = list(state.request.scopes) if state.request.scopes is not None else None
        hits = self.retriever.search(state.query, k=self.k, as_of=state.as_of, scopes=scopes)
        passages = [Passage.from_hit(hit, n) for n, hit in enumerate(hits, start=1)]
        if self.article_texts is not None and passages:
            texts = self.article_texts([p.provision_id for p in passages])
            passages = [replace(p, context=_context(texts.get(p.provision_id), p.text)) for p in passages]
        state.passages = prefer_referenced(state.query, passages)
        state.trace["retrieve_ms"] = round((time.perf_counter() - started) * 1000, 1)
        state.trace["passages"] = [p.trace() for p in state.passages]
        return state

    def _generate(self, state: ChainState) -> ChainState:
        started = time.perf_counter()
        if triage(self._spelled_out(state.request.message)).human_only and state.scope.verdict != "injection":
            # A plain request for a person: nothing legal to answer, the member is pointed to an officer.
            state.draft = Draft(wording.HANDOFF, citations=[], generator="handoff", notes=["human_request"])
            return state
        if state.scope.refuse:
            state.refused = True
            body = wording.GREETING if state.scope.verdict == "small_talk" else wording.OUT_OF_SCOPE
            state.draft = Draft(body=body, citations=[], generator="refusal", notes=[state.scope.verdict])
            return state
        if self._off_topic(state):
            state.refused = True
            state.draft = Draft(wording.OUT_OF_SCOPE, citations=[], generator="refusal", notes=["off_topic"])
            return state
        known = getattr(self.retriever, "vocabulary", None)
        about_work = state.scope.verdict == "in_scope"
        relevance = self.extractive.relevance(state.query, state.passages, known, about_work)
        state.trace["relevance"] = round(relevance, 3)
        threshold = self._threshold(state, known)
        if relevance < threshold and about_work and self._names_work(state):
            legal = self._legal_terms_covered(state, known)
            state.trace["legal_terms_covered"] = round(legal, 3)
            if legal >= MIN_LEGAL_TERMS_COVERED:
                relevance = threshold
        if relevance < threshold:
            state.refused = True
            reason = "out_of_scope" if state.scope.verdict == "unknown" else "not_found"
            body = wording.OUT_OF_SCOPE if reason == "out_of_scope" else wording.NOT_FOUND
            state.draft = Draft(body=body, citations=[], generator="refusal", notes=[reason])
            return state
        if self.llm is not None:
            state.draft = self._llm_draft(state)
        if state.draft is None:
            state.draft = self.extractive.generate(state.query, state.passages, state.request.message)
        state.trace["generate_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return state

    def asks_topic_model(self, message: str, scope: ScopeDecision) -> bool:
        """Whether a message is one the topic model judges: let in by company, boss or wage words alone, but not
        with a work phrase of the lexicon ("bị đuổi", "nghỉ đẻ"): the keyword step stops at "công ty". Such a
        message is judged even when triage reads a dispute in it: on so few work words, triage's signs are loose
        ("lương", "chưa trả": "sếp mượn em 20 triệu chưa trả", "deal lương khi nhảy việc"). Left out in turn on the
        tuning sets, the model catches 4 of the 5 out-of-scope ones and none of the 19 in-scope disputes (the
        highest at 0.34, against a 0.85 threshold; ninth session).

        It also judges a message let in on work words over another field's words ("cách làm bảng chấm công trên
        Excel", "tiền thưởng Tết nên mua vàng hay gửi ngân hàng"), where the keyword lists disagree, unless the
        member reports a dispute (harassment by a team leader, unpaid wages): that must reach a person. There the
        model would catch none of the 30 such tuning questions' one out-of-scope question and come within 0.05 of
        refusing an in-scope one."""
        if scope.verdict != "in_scope":
            return False
        if scope.contested:
            return not triage(self._spelled_out(message)).escalation.suggested
        return only_generic_work_terms(scope.matched) and not self._work_phrases(message)

    def _work_phrases(self, message: str) -> bool:
        """Whether the message holds a work phrase of the lexicon beyond company, boss and wage words."""
        lexicon = self.extractive.lexicon
        phrases = lexicon.colloquial_terms(message, min_words=2) if lexicon is not None else []
        return bool(phrases) and not only_generic_work_terms(phrases)

    def _off_topic(self, state: ChainState) -> bool:
        vector_of = getattr(self.retriever, "query_vector", None)
        if self.topic_model is None or vector_of is None:
            return False
        if not self.asks_topic_model(state.request.message, state.scope):
            return False
        chance = self._off_topic_chance(state)
        if chance is not None:
            state.trace["off_topic"] = round(chance, 3)
        return chance is not None and chance > self.topic_model.threshold

    def _off_topic_chance(self, state: ChainState) -> float | None:
        """The topic model's chance that the question is about something other than work (None without a model)."""
        vector_of = getattr(self.retriever, "query_vector", None)
        if self.topic_model is None or vector_of is None:
            return None
        vector = vector_of(state.query)
        if vector is None:
            return None
        return self.topic_model.off_topic(vector)

    def _names_work(self, state: ChainState) -> bool:
        """A strong work word, or a work phrase of the lexicon ("xưởng ngừng chạy", "ngã giàn giáo") in a question
        the topic model does not take for another field's: the question says what happened at work, so the legal
        terms it stands for may rescue it from a low relevance. Lexicon phrases alone are too loose for that
        ("tiền cọc" of a rented room, "phạt bao nhiêu" for speeding), hence the model's word."""
        if strong_work_terms(state.scope.matched):
            return True
        if self.topic_model is None or not self._work_phrases(state.request.message):
            return False
        chance = self._off_topic_chance(state)
        if chance is not None:
            state.trace["rescue_off_topic"] = round(chance, 3)
        return chance is not None and chance <= self.topic_model.threshold

    def _legal_terms_covered(self, state: ChainState, known: Container[str] | None) -> float:
        lexicon = self.extractive.lexicon
        if lexicon is None:
            return 0.0
        terms = [t for t in lexicon.legal_terms(state.query) if t.lower() not in _GENERIC_LEGAL_TERMS]
        if not terms:
            return 0.0
        return self.extractive.relevance(" ".join(terms), state.passages, known, about_work=True)

    @staticmethod
    def _threshold(state: ChainState, known: Container[str] | None) -> float:
        if state.scope.verdict != "in_scope":
            return MIN_RELEVANCE_UNKNOWN
        if known is not None and QueryTerms.of(state.query).foreign(known):
            # Words in no provision and in no Vietnamese ("blockchain"): likely beyond what the corpus holds.
            return MIN_RELEVANCE_FOREIGN
        return MIN_RELEVANCE

    def _llm_draft(self, state: ChainState) -> Draft | None:
        assert self.llm is not None
        try:
            draft = self.llm.generate(state.query, state.passages)
        except Exception as exc:  # any server failure falls back to the extractive answer
            log.warning("LLM generator failed, using the extractive answer: %s", exc)
            state.trace["fallback"] = f"llm_error: {exc}"
            return None
        if draft is None:
            state.trace["fallback"] = "llm_not_found"
            log.info("LLM found no answer in the passages; using the extractive answer")
            return None
        problems = verify(draft.body, draft.citations, state.passages, [state.as_of])
        state.trace["llm_draft"] = draft.body
        if problems:
            log.warning(
                "LLM answer rejected by the verifier, using the extractive answer: %s", "; ".join(problems)
            )
            state.trace["fallback"] = "verifier"
            state.trace["verifier_problems"] = problems
            return None
        return draft

    def _verify(self, state: ChainState) -> ChainState:
        draft = state.draft
        if draft is None:
            state.refused = True
            state.draft = Draft(body=wording.NOT_FOUND, citations=[], generator="refusal", notes=["no_draft"])
        elif draft.generator not in ("refusal", "handoff"):
            problems = verify(draft.body, draft.citations, state.passages, [state.as_of])
            if problems:
                log.error("extractive answer failed verification, refusing instead: %s", "; ".join(problems))
                state.trace["verifier_problems"] = problems
                state.refused = True
                state.draft = Draft(body=wording.NOT_FOUND, citations=[], generator="refusal", notes=problems)
        assert state.draft is not None
        state.trace["generator"] = state.draft.generator
        state.trace["draft_notes"] = state.draft.notes
        return state

    def _triage(self, state: ChainState) -> ChainState:
        draft = state.draft
        assert draft is not None
        # "cty ko tra luong" is a wage dispute as much as "công ty không trả lương".
        history = tuple(self._spelled_out(m) for m in state.request.previous_messages)
        result = triage(self._spelled_out(state.request.message), history)
        escalation = result.escalation
        if state.scope.verdict in ("injection", "small_talk") and escalation.category != "khac":
            escalation = Escalation()
        newer = self._newer_text_notes(draft, state.as_of)
        # Nothing was told before this message for "trường hợp này" to point at: the answer can only be general.
        untold = not state.request.previous_queries and refers_back(state.request.message)
        text = compose(draft, escalation, state.as_of, self.today(), newer, untold)
        if untold:
            state.trace["untold_case"] = True
        state.trace["triage_terms"] = list(result.matched)
        if newer:
            state.trace["newer_texts"] = newer
        state.answer = Answer(
            answer=text,
            citations=draft.citations,
            refused=state.refused,
            escalation=escalation,
            as_of=state.as_of,
        )
        return state

    def _newer_text_notes(self, draft: Draft, as_of: date) -> list[str]:
        """A note for each cited work whose newer consolidated text applies on ``as_of`` but is not in the
        corpus, so older wording is never presented as certainly current."""
        if self.newer_texts is None or not draft.citations:
            return []
        newer = self.newer_texts()
        notes: list[str] = []
        for citation in draft.citations:
            label, since = newer.get(citation.work_number, ("", None))
            older = citation.valid_from is None or (since is not None and citation.valid_from < since)
            if since is not None and since <= as_of and older:
                note = wording.newer_text_note(citation, label)
                if note not in notes:
                    notes.append(note)
        return notes


def compose(
    draft: Draft,
    escalation: Escalation,
    as_of: date,
    today: date,
    newer: Sequence[str] = (),
    untold_case: bool = False,
) -> str:
    """The text the member reads: the verified body, the sources with version notes, then the notes. With
    ``untold_case`` (a first message about "trường hợp này"), a request to tell the situation follows the body."""
    parts = [draft.body]
    if draft.citations and untold_case:
        parts.append(wording.DESCRIBE_CASE)
    if draft.citations:
        parts.append(wording.sources_block(draft.citations))
        parts.extend(newer)
        note = wording.as_of_note(as_of, today)
        if note:
            parts.append(note)
    if escalation.suggested and draft.generator != "handoff":
        parts.append(wording.ESCALATION_HINT)
    if draft.citations:
        parts.append(wording.DISCLAIMER)
    return "\n\n".join(parts)


def _context(article: str | None, hit_text: str) -> str:
    """The stored article: quotes are always cut from it, so they are verbatim in the corpus even when the
    index holds the hit's text in another shape."""
    return article or ""


def sources_entry(passage: Passage) -> dict[str, Any]:
    return {
        "n": passage.number,
        "work_number": passage.work_number,
        "version_label": passage.version_label,
        "document_title": passage.document_title,
        "article": passage.article,
        "clause": passage.clause,
        "point": passage.point,
        "heading": passage.heading,
        "score": round(passage.score, 4),
    }


def prefer_referenced(query: str, passages: list[Passage]) -> list[Passage]:
    """Move passages of an article the question names ("khoản 2 Điều 42") to the front, renumbered."""
    refs = [(m.group(1), int(m.group(2))) for m in _ARTICLE_REF_RE.finditer(query)]
    if not refs:
        return passages

    def named(p: Passage) -> bool:
        return any(
            p.article == article and (clause is None or p.clause in (None, clause))
            for clause, article in refs
        )

    ordered = [p for p in passages if named(p)] + [p for p in passages if not named(p)]
    return [replace(p, number=n) for n, p in enumerate(ordered, start=1)]
