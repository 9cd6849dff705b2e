"""An answer quoting the Labour Code as first issued says that its consolidated text (which the catalogue
knows) is missing from the corpus, from the date that text applies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.chain import ChatRequest
from assistant.answering.grounding import claimed_numbers, numbers_in
from assistant.answering.newer import NewerTexts
from tests.assistant.answering.corpus import ORIGINAL_LABOUR_CODE, Corpus, build_corpus
from tests.conftest import make_settings

NOTICE = "Tôi muốn nghỉ việc thì phải báo trước bao nhiêu ngày?"
MISSING = "Văn bản hợp nhất 18/VBHN-VPQH đang được áp dụng nhưng chưa có trong kho văn bản"


@pytest.fixture(scope="module")
def original_code(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    if not ORIGINAL_LABOUR_CODE.is_file():
        pytest.skip(f"shared corpus not found: {ORIGINAL_LABOUR_CODE}")
    corpus = build_corpus(make_settings(Path(tmp_path_factory.mktemp("original"))), [ORIGINAL_LABOUR_CODE])
    yield corpus
    corpus.db.dispose()


def test_answer_from_the_original_code_says_the_consolidated_text_is_missing(original_code: Corpus) -> None:
    result = original_code.chain().run(ChatRequest(NOTICE, as_of=date(2026, 11, 28)))
    assert not result.answer.refused
    assert result.answer.citations[0].work_number == "45/2019/QH14"
    assert MISSING in result.answer.answer
    assert "đối chiếu văn bản hợp nhất" in result.answer.answer
    assert result.trace["newer_texts"]
    # The note states no number of its own: every number in the answer is still in the cited text.
    cited = "\n".join(c.quote for c in result.answer.citations)
    assert claimed_numbers(result.answer.answer, result.answer.citations, [result.answer.as_of]) <= numbers_in(cited)


def test_no_note_before_the_consolidated_text_applies(original_code: Corpus) -> None:
    result = original_code.chain().run(ChatRequest(NOTICE, as_of=date(2025, 6, 1)))
    assert not result.answer.refused
    assert "chưa có trong kho văn bản" not in result.answer.answer


def test_no_note_when_the_consolidated_text_is_held(labour_code: Corpus) -> None:
    result = labour_code.chain().run(ChatRequest(NOTICE, as_of=date(2026, 11, 28)))
    assert result.answer.citations[0].version_label == "18/VBHN-VPQH"
    assert "chưa có trong kho văn bản" not in result.answer.answer


def test_newer_texts_are_reread_after_the_refresh_interval(original_code: Corpus) -> None:
    now = [0.0]
    texts = NewerTexts(original_code.db, refresh_seconds=60, clock=lambda: now[0])
    assert texts() == {"45/2019/QH14": ("18/VBHN-VPQH", date(2026, 1, 1))}
    with original_code.db.session() as session:
        from sqlalchemy import update

        from assistant.db.documents import Work

        session.execute(update(Work).values(newer_text=None, newer_text_from=None))
    assert texts() != {}
    now[0] = 61.0
    assert texts() == {}
