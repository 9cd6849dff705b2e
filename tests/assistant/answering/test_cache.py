"""First questions asked again are answered from the cache of their corpus generation; follow-ups, other
dates, other scopes and a new generation are not; every exchange is still stored."""

from __future__ import annotations

from datetime import date

from assistant.answering.cache import AnswerCache
from assistant.answering.service import ChatInput, ChatService
from assistant.conversations import ConversationStore
from tests.assistant.answering.corpus import Corpus

LEAVE = "Nghỉ hằng năm được bao nhiêu ngày?"


def service(corpus: Corpus, generation: list[int | None]) -> tuple[ChatService, AnswerCache]:
    cache = AnswerCache(lambda: generation[0])
    chain = corpus.chain()
    chain.today = lambda: date(2026, 11, 28)
    return ChatService(chain, ConversationStore(corpus.db), cache), cache


def test_a_repeated_first_question_is_replayed_and_still_stored(labour_code: Corpus) -> None:
    chat, cache = service(labour_code, [7])
    first = chat.ask(ChatInput(LEAVE))
    second = chat.ask(ChatInput(f"  {LEAVE} "))
    assert cache.hits == 1 and second.trace["cache"] == "hit" and "cache" not in first.trace
    assert second.answer.answer == first.answer.answer and second.answer.citations == first.answer.citations
    assert second.answer.conversation_id != first.answer.conversation_id
    stored = ConversationStore(labour_code.db).messages(second.answer.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"] and stored[1].trace["cache"] == "hit"
    second.trace["answer_ms"] = 1.0
    assert "answer_ms" not in chat.ask(ChatInput(LEAVE)).trace  # callers cannot change the cached trace


def test_follow_ups_dates_scopes_and_new_generations_are_answered_afresh(labour_code: Corpus) -> None:
    generation: list[int | None] = [1]
    chat, cache = service(labour_code, generation)
    opened = chat.ask(ChatInput(LEAVE))
    chat.ask(ChatInput(LEAVE, conversation_id=opened.answer.conversation_id))
    chat.ask(ChatInput(LEAVE, as_of=date(2025, 1, 1)))
    chat.ask(ChatInput(LEAVE, scopes=["CDCS-A"]))
    assert cache.hits == 0
    generation[0] = 2
    assert "cache" not in chat.ask(ChatInput(LEAVE)).trace
    generation[0] = None
    chat.ask(ChatInput(LEAVE))
    assert "cache" not in chat.ask(ChatInput(LEAVE)).trace


def test_an_answer_made_while_the_index_changed_is_not_kept(labour_code: Corpus) -> None:
    generation: list[int | None] = [1]
    cache = AnswerCache(lambda: generation[0])
    key = cache.key(LEAVE, date(2026, 1, 1), date(2026, 1, 1), None)
    assert key is not None
    generation[0] = 2
    cache.put(key, [])
    generation[0] = 1
    assert cache.get(key) is None
