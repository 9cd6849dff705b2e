"""The optional LLM generator: any OpenAI-compatible server (vLLM, Ollama, llama.cpp server) through
langchain-openai. It only drafts; the verifier decides whether the draft may be shown.

Citations are the passages the model marks with [n]; the quote for each is the clause or point of that
passage that shares most words with the model's answer, so the numbers it states are checked against
the text it relies on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.answering.draft import Draft
from assistant.answering.extractive import trim_quote
from assistant.answering.matching import QueryTerms, Scorer
from assistant.answering.passages import Passage
from assistant.answering.prompts import NOT_FOUND_MARK, PROMPT, format_passages
from assistant.config import LLMSettings
from assistant.legal import Citation

MAX_PASSAGES = 5
_MARK_RE = re.compile(r"\[(\d+)\]")


class LLMGenerator:
    name = "llm"

    def __init__(self, model: Runnable[Any, Any]) -> None:
        self.chain: Runnable[Any, str] = PROMPT | model | StrOutputParser()

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> LLMGenerator:
        from langchain_openai import ChatOpenAI

        model = ChatOpenAI(
            base_url=settings.base_url or None,
            model=settings.model or "default",
            api_key=settings.api_key.get_secret_value() or "not-needed",  # type: ignore[arg-type]
            timeout=settings.timeout_seconds,
            temperature=0,
            max_tokens=400,  # type: ignore[call-arg]
            max_retries=0,
        )
        return cls(model)

    def generate(self, question: str, passages: Sequence[Passage]) -> Draft | None:
        shown = list(passages[:MAX_PASSAGES])
        text = self.chain.invoke({"passages": format_passages(shown), "question": question}).strip()
        if not text or NOT_FOUND_MARK in text.upper():
            return None
        return Draft(body=text, citations=citations_for(text, shown), generator=self.name, notes=[text])


def citations_for(text: str, passages: Sequence[Passage]) -> list[Citation]:
    """One citation per passage the text marks with [n]; unknown numbers stay, for the verifier to reject."""
    by_number = {p.number: p for p in passages}
    citations: list[Citation] = []
    seen: set[int] = set()
    for raw in _MARK_RE.findall(text):
        number = int(raw)
        if number in seen:
            continue
        seen.add(number)
        passage = by_number.get(number)
        if passage is None:
            citations.append(Citation(work_number="?", article=0, quote=f"[{number}]"))
            continue
        citations.append(_best_citation(text, passage))
    return citations


def _best_citation(text: str, passage: Passage) -> Citation:
    units = passage.units()
    if not units:
        return passage.citation(quote=trim_quote(passage.text))
    scorer = Scorer(QueryTerms.of(text), [u.text for u in units])
    best = max(units, key=lambda u: (scorer.score(f"{u.lead}\n{u.text}"), -len(u.text)))
    return passage.citation(best, quote=trim_quote(best.text))
