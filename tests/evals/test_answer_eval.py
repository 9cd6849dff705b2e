"""``congdoan eval answers``: the judge catches fabricated quotes and stray numbers, and a real chain over
the consolidated Labour Code is reported in Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.chain import ChatRequest
from assistant.legal import Answer, Citation
from evals.answer_eval import evaluate_answers, fabrication, judge, render_markdown, write_report
from evals.datasets import EvalQuestion, GoldRef
from tests.assistant.answering.corpus import LABOUR_CODE, Corpus, build_corpus
from tests.conftest import make_settings

ARTICLE = (
    "Điều 35. Quyền đơn phương chấm dứt hợp đồng lao động của người lao động\n"
    "1. Người lao động có quyền đơn phương chấm dứt hợp đồng lao động nhưng phải báo trước như sau:\n"
    "a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;\n"
    "b) Ít nhất 30 ngày nếu làm việc theo hợp đồng lao động có thời hạn từ 12 tháng đến 36 tháng;\n"
    "2. Người lao động có quyền đơn phương chấm dứt hợp đồng lao động không cần báo trước."
)
BLLD = "45/2019/QH14"


def cite(quote: str, clause: int | None = 1, point: str | None = None) -> Citation:
    return Citation(work_number=BLLD, article=35, clause=clause, point=point, quote=quote)


def question(qid: str, text: str, gold: tuple[GoldRef, ...], expects: str = "answer") -> EvalQuestion:
    return EvalQuestion(qid, text, gold, expects, "diacritics", "test")  # type: ignore[arg-type]


def test_a_quote_must_be_verbatim_and_inside_the_cited_clause() -> None:
    assert fabrication(cite("a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động"), [ARTICLE]) is None
    assert fabrication(cite("Ít nhất 45 ngày", point="a"), [ARTICLE]) is None
    outside = fabrication(cite("không cần báo trước", clause=1), [ARTICLE])
    assert outside is not None and "không nằm trong khoản" in outside
    invented = fabrication(cite("Ít nhất 60 ngày"), [ARTICLE])
    assert invented is not None and "không có nguyên văn" in invented


def test_a_number_not_in_the_cited_text_is_reported() -> None:
    gold = (GoldRef(BLLD, 35, 1),)
    quote = "a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;"
    good = Answer(answer="Bạn phải báo trước ít nhất 45 ngày.", citations=[cite(quote)], as_of=date(2026, 1, 1))
    bad = Answer(answer="Bạn phải báo trước ít nhất 60 ngày.", citations=[cite(quote)], as_of=date(2026, 1, 1))
    assert judge(question("q", "?", gold), good, lambda c: [ARTICLE], 1.0).numbers_ok
    result = judge(question("q", "?", gold), bad, lambda c: [ARTICLE], 1.0)
    assert not result.numbers_ok and result.missing_numbers == ["60"]
    assert result.gold_hit is True and result.gold_article_hit is True


def test_a_citation_of_another_clause_is_not_gold_but_its_article_is() -> None:
    gold = (GoldRef(BLLD, 35, 2),)
    quote = "a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;"
    answer = Answer(answer="Ít nhất 45 ngày.", citations=[cite(quote)], as_of=date(2026, 1, 1))
    result = judge(question("q", "?", gold), answer, lambda c: [ARTICLE], 1.0)
    assert result.gold_hit is False and result.gold_article_hit is True


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    if not LABOUR_CODE.is_file():
        pytest.skip(f"shared corpus not found: {LABOUR_CODE}")
    built = build_corpus(make_settings(Path(tmp_path_factory.mktemp("answers"))), [LABOUR_CODE])
    yield built
    built.db.dispose()


def test_report_over_a_real_chain(corpus: Corpus, tmp_path: Path) -> None:
    questions = [
        question("notice", "Tôi muốn nghỉ việc thì phải báo trước bao nhiêu ngày?", (GoldRef(BLLD, 35, 1),)),
        question(
            "leave", "Người lao động làm việc đủ 12 tháng được nghỉ hằng năm bao nhiêu ngày?", (GoldRef(BLLD, 113, 1),)
        ),
        question("overtime", "Làm thêm giờ vào ngày nghỉ lễ được trả lương thế nào?", (GoldRef(BLLD, 98, 1),)),
        question("pho", "Cách nấu phở bò ngon?", (), "refuse"),
    ]
    chain = corpus.chain()
    report = evaluate_answers(
        questions, lambda q: chain.run(ChatRequest(q.question, as_of=date(2026, 11, 28))).answer, corpus.db
    )
    assert report.questions == 4 and report.fabricated_citations == 0
    assert report.gold_citation_rate == 1.0 and report.refusal_rate == 1.0
    assert report.gold_citation_strict_rate is not None and report.gold_citation_strict_rate <= 1.0
    assert report.numbers_in_cited_text_rate == 1.0
    files = write_report(report, tmp_path / "reports")
    assert {f.name for f in files} == {"answers.md", "answers.json"}
    data = json.loads((tmp_path / "reports" / "answers.json").read_text(encoding="utf-8"))
    assert data["gold_citation_rate"] == 1.0 and len(data["results"]) == 4
    assert "≥ 90%" in render_markdown(report)
