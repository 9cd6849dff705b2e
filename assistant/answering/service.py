"""One question in, one stored answer out: history → chain → conversation store.

The HTTP routes (JSON and server-sent events) and ``congdoan ask`` all go through ``ChatService.stream``;
``ask`` consumes the same stream. The ``done`` event carries the Answer with its conversation and
message ids, after both messages are stored.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from assistant.answering.cache import AnswerCache
from assistant.answering.chain import AnswerChain, ChainEvent, ChainResult, ChatRequest
from assistant.conversations import ConversationStore, Exchange
from assistant.legal import Answer
from assistant.triage import topic_of


@dataclass(frozen=True)
class ChatInput:
    message: str
    conversation_id: str | None = None
    as_of: date | None = None
    channel: str = "web"
    scopes: Sequence[str] | None = None


@dataclass(frozen=True)
class ChatOutcome:
    answer: Answer
    trace: dict[str, object]


class ChatService:
    def __init__(self, chain: AnswerChain, store: ConversationStore, cache: AnswerCache | None = None) -> None:
        self.chain = chain
        self.store = store
        self.cache = cache

    def stream(self, chat: ChatInput) -> Iterator[ChainEvent]:
        started = time.perf_counter()
        history = self.store.history(chat.conversation_id)
        request = ChatRequest(
            message=chat.message.strip(),
            as_of=chat.as_of,
            previous_queries=history.queries,
            previous_messages=history.messages,
            scopes=chat.scopes,
        )
        for event in self._answer(request):
            if event.kind != "done":
                yield event
                continue
            result: ChainResult = event.data
            latency_ms = int((time.perf_counter() - started) * 1000)
            exchange = Exchange(
                question=request.message,
                answer=result.answer,
                trace=result.trace,
                latency_ms=latency_ms,
                topic=topic_of(result.query),
            )
            conversation_id, message_id = self.store.save(history.conversation_id, exchange, chat.channel)
            answer = result.answer.model_copy(
                update={"conversation_id": conversation_id, "message_id": message_id}
            )
            yield ChainEvent("done", ChatOutcome(answer, result.trace))

    def _answer(self, request: ChatRequest) -> Iterator[ChainEvent]:
        """The chain's events, replayed from the cache for a first question asked before."""
        first_turn = not request.previous_queries and not request.previous_messages
        today = self.chain.today()
        key = (
            self.cache.key(request.message, request.as_of or today, today, request.scopes)
            if self.cache is not None and first_turn
            else None
        )
        if key is None or self.cache is None:
            yield from self.chain.stream(request)
            return
        cached = self.cache.get(key)
        if cached is not None:
            yield from cached
            return
        events: list[ChainEvent] = []
        for event in self.chain.stream(request):
            events.append(event)
            yield event
        self.cache.put(key, events)

    def ask(self, chat: ChatInput) -> ChatOutcome:
        outcome: ChatOutcome | None = None
        for event in self.stream(chat):
            if event.kind == "done":
                outcome = event.data
        assert outcome is not None
        return outcome
