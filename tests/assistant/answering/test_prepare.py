from __future__ import annotations

from assistant.answering.articles import ArticleTexts
from assistant.answering.chain import ChatRequest
from assistant.answering.matching import text_terms
from assistant.answering.passages import units_of
from assistant.answering.prepare import prepare_provisions
from assistant.retrieval.selection import _token_counts
from tests.assistant.answering.corpus import Corpus


def test_every_indexed_article_is_prepared(labour_code: Corpus) -> None:
    chunks = labour_code.retriever.table.chunks
    prepared = prepare_provisions(chunks, ArticleTexts(labour_code.db))
    articles = {c.provision_id for c in chunks}
    assert prepared.articles == len(articles)
    assert prepared.units > prepared.articles
    assert prepared.parts == sum(len(c.parts) for c in chunks)


def test_a_corpus_larger_than_the_caches_is_prepared_in_part(labour_code: Corpus) -> None:
    chunks = labour_code.retriever.table.chunks
    prepared = prepare_provisions(chunks, ArticleTexts(labour_code.db), limit=10)
    assert prepared.articles == 10
    assert prepared.parts <= sum(len(c.parts) for c in chunks)


def test_after_preparation_an_answer_reads_every_provision_from_the_caches(labour_code: Corpus) -> None:
    chain = labour_code.chain()
    prepare_provisions(labour_code.retriever.table.chunks, chain.article_texts)
    before = (text_terms.cache_info().misses, units_of.cache_info().misses, _token_counts.cache_info().misses)
    result = chain.run(ChatRequest("Người lao động nghỉ việc phải báo trước bao nhiêu ngày?"))
    after = (text_terms.cache_info().misses, units_of.cache_info().misses, _token_counts.cache_info().misses)
    assert result.answer.citations
    assert after == before


def test_preparation_does_not_change_the_answer(labour_code: Corpus) -> None:
    question = ChatRequest("cong ty no luong 2 thang thi lam sao")
    text_terms.cache_clear()
    units_of.cache_clear()
    cold = labour_code.chain().run(question).answer
    chain = labour_code.chain()
    prepare_provisions(labour_code.retriever.table.chunks, chain.article_texts)
    warm = chain.run(question).answer
    assert warm.answer == cold.answer
    assert warm.citations == cold.citations
