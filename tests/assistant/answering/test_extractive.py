"""The extractive generator follows retrieval's article and clause, and quotes a runner-up article under
"Xem thêm" only when retrieval scored it almost as high."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answering.extractive import SECOND_CITATION_RATIO, ExtractiveGenerator, defined_term, defining_unit
from assistant.answering.passages import Passage

ARTICLE_36 = (
    "1. Người sử dụng lao động có quyền đơn phương chấm dứt hợp đồng lao động trong trường hợp sau đây:\n"
    "a) Người lao động thường xuyên không hoàn thành công việc theo hợp đồng lao động;\n"
    "2. Khi đơn phương chấm dứt hợp đồng lao động, người sử dụng lao động phải báo trước cho người lao động "
    "ít nhất 45 ngày đối với hợp đồng lao động không xác định thời hạn."
)
ARTICLE_35 = (
    "1. Người lao động có quyền đơn phương chấm dứt hợp đồng lao động nhưng phải báo trước cho người sử dụng "
    "lao động ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn."
)
ARTICLE_37 = "Người sử dụng lao động không được thực hiện quyền đơn phương chấm dứt hợp đồng lao động khi ốm đau."


def passage(number: int, article: int, text: str, clause: str | None, score: float) -> Passage:
    return Passage(
        number=number, work_number="45/2019/QH14", version_label="", document_title="Bộ luật Lao động 2019",
        article=article, clause=clause, point=None, heading=f"Điều {article}.", text=text, score=score,
        valid_from=date(2021, 1, 1), valid_to=None, context=text,
    )


QUESTION = "Công ty cho người lao động nghỉ việc thì phải báo trước bao nhiêu ngày?"


def test_the_clause_retrieval_chose_is_cited_even_when_another_shares_more_words() -> None:
    # Clause 2 shares more of the question's words ("báo trước", "ngày"); retrieval chose clause 1.
    chosen = ExtractiveGenerator().select(QUESTION, [passage(1, 36, ARTICLE_36, "1", 1.0)])
    assert len(chosen) == 1 and chosen[0].unit is not None and chosen[0].unit.clause == "1"


def test_a_close_runner_up_is_quoted_under_xem_them() -> None:
    close = SECOND_CITATION_RATIO + 0.01
    passages = [passage(1, 36, ARTICLE_36, "2", 1.0), passage(2, 35, ARTICLE_35, "1", close)]
    draft = ExtractiveGenerator().generate(QUESTION, passages)
    assert draft is not None
    assert [(c.article, c.clause) for c in draft.citations] == [(36, 2), (35, 1)]
    assert "Xem thêm khoản 1 Điều 35" in draft.body


def test_a_distant_runner_up_is_left_out() -> None:
    far = SECOND_CITATION_RATIO - 0.1
    passages = [passage(1, 36, ARTICLE_36, "2", 1.0), passage(2, 35, ARTICLE_35, "1", far)]
    draft = ExtractiveGenerator().generate(QUESTION, passages)
    assert draft is not None and [c.article for c in draft.citations] == [36]
    assert "Xem thêm" not in draft.body


def test_retrieval_order_decides_the_first_article() -> None:
    passages = [passage(1, 37, ARTICLE_37, None, 1.0), passage(2, 36, ARTICLE_36, "2", 0.5)]
    chosen = ExtractiveGenerator().select(QUESTION, passages)
    assert [s.passage.article for s in chosen] == [37]


def test_a_figure_question_without_a_figure_in_the_quotes_says_so() -> None:
    from assistant.answering import wording

    no_figure = ExtractiveGenerator().generate("Công đoàn cơ sở mấy năm họp đại hội một lần?", [
        passage(1, 37, ARTICLE_37, None, 1.0)
    ])
    assert no_figure is not None and no_figure.body.startswith(wording.NO_FIGURE)
    with_figure = ExtractiveGenerator().generate(QUESTION, [passage(1, 35, ARTICLE_35, "1", 1.0)])
    assert with_figure is not None and wording.NO_FIGURE not in with_figure.body


def test_labels_and_references_are_not_figures() -> None:
    from assistant.answering.extractive import states_figure

    assert not states_figure("1. Theo khoản 2 Điều 61 và Nghị định 145/2020/NĐ-CP.")
    assert states_figure("Vùng I 5.310.000 25.500") and states_figure("ít nhất 45 ngày")


def test_relevance_reads_the_best_scored_passages_whatever_order_the_reranker_chose() -> None:
    """The reranker may put a lower-scored article first; relevance is judged on the passages retrieval scored
    highest, as its threshold was set, so a fifth place does not hide the article that covers the question."""
    others = [passage(n, 100 + n, f"Điều khoản khác số {n} về việc khác.", None, 0.5) for n in range(1, 5)]
    covering = passage(5, 36, ARTICLE_36, "2", 0.9)
    generator = ExtractiveGenerator()
    reranked = generator.relevance(QUESTION, [*others, covering])
    assert reranked == generator.relevance(QUESTION, [covering, *others]) > 0.3
    assert generator.relevance(QUESTION, others) < 0.3


def test_words_no_provision_holds_do_not_count_against_relevance() -> None:
    # "ko", "trc", "mn" are in no provision: without the corpus vocabulary they are the rarest words of
    # the question, weigh the most, and sink the coverage of the right article.
    question = "cty cho em nghỉ việc ko báo trc được ko mn, 3tr lương"
    passages = [passage(1, 36, ARTICLE_36, "2", 1.0), passage(2, 37, ARTICLE_37, None, 0.5)]
    known = {w for text in (ARTICLE_36, ARTICLE_37) for w in ExtractiveGenerator.vocabulary_of(text)}
    plain = ExtractiveGenerator().relevance(question, passages)
    aware = ExtractiveGenerator().relevance(question, passages, known)
    assert aware > plain
    assert ExtractiveGenerator().relevance("mn ơi z", passages, known) == 0.0
    # Longer unknown words are what the corpus cannot answer: they still count.
    foreign = "blockchain quantum metaverse nghỉ việc"
    assert ExtractiveGenerator().relevance(foreign, passages, known) == ExtractiveGenerator().relevance(
        foreign, passages
    )


def test_everyday_words_are_left_out_only_for_a_question_about_work() -> None:
    question = "cty cho em nghỉ việc luôn, ko báo trước, em về quê rồi"
    passages = [passage(1, 36, ARTICLE_36, "2", 1.0)]
    known = ExtractiveGenerator.vocabulary_of(ARTICLE_36) | {"em", "ve", "roi"}
    generator = ExtractiveGenerator()
    unknown_scope = generator.relevance(question, passages, known)
    about_work = generator.relevance(question, passages, known, about_work=True)
    assert about_work > unknown_scope


def test_foreign_words_are_told_apart_from_shorthand_and_everyday_words() -> None:
    from assistant.answering.matching import QueryTerms

    known = {"luong", "cong", "ty"}
    terms = QueryTerms.of("lương kỹ sư blockchain metaverse ở công ty, mn ơi, 3tr, luôn")
    assert terms.foreign(known) == ["blockchain", "metaverse"]
    # Loanwords of everyday work are not what the corpus cannot answer.
    shop = QueryTerms.of("chủ shop online giữ lương tháng đầu, làm vỡ laptop của công ty, ok không")
    assert shop.foreign(known) == []


ARTICLE_98 = "1. Người lao động làm thêm giờ được trả lương ít nhất bằng 150% vào ngày thường."
DECREE_55 = (
    "1. Tiền lương làm thêm giờ theo khoản 1 Điều 98 của Bộ luật Lao động được tính theo công thức sau:\n"
    "a) Người lao động hưởng lương theo thời gian."
)


def decree_passage(number: int, article: int, text: str, score: float) -> Passage:
    return Passage(
        number=number, work_number="145/2020/NĐ-CP", version_label="",
        document_title="Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động",
        article=article, clause="1", point=None, heading=f"Điều {article}.", text=text, score=score,
        valid_from=date(2021, 1, 1), valid_to=None, context=text,
    )


def test_the_law_article_a_decree_details_is_cited_beside_it() -> None:
    from assistant.answering.extractive import LINKED_CITATION_RATIO
    from assistant.answering.references import law_name, referenced_articles

    assert law_name("Bộ luật Lao động 2019") == "bo luat lao dong" and law_name("Nghị định 145") is None
    assert referenced_articles("các Điều 35, 36 và 37 của Bộ luật Lao động; Điều 10 của Luật này") == {
        ("bo luat lao dong", 35), ("bo luat lao dong", 36), ("bo luat lao dong", 37), ("nay", 10)
    }
    question = "tang ca ngay thuong tinh nhiu %"
    linked = LINKED_CITATION_RATIO + 0.05  # below the plain runner-up ratio
    for first, second in (
        (decree_passage(1, 55, DECREE_55, 1.0), passage(2, 98, ARTICLE_98, "1", linked)),
        (passage(1, 98, ARTICLE_98, "1", 1.0), decree_passage(2, 55, DECREE_55, linked)),
    ):
        chosen = ExtractiveGenerator().select(question, [first, second])
        assert {s.passage.article for s in chosen} == {55, 98}
    # Too far behind, or not named: left out.
    far = LINKED_CITATION_RATIO - 0.1
    assert len(ExtractiveGenerator().select(question, [decree_passage(1, 55, DECREE_55, 1.0),
                                                       passage(2, 98, ARTICLE_98, "1", far)])) == 1
    assert len(ExtractiveGenerator().select(question, [decree_passage(1, 55, DECREE_55, 1.0),
                                                       passage(2, 35, ARTICLE_35, "1", linked)])) == 1


def test_a_linked_article_is_found_anywhere_among_the_retrieved_passages() -> None:
    from assistant.answering.extractive import LINK_CANDIDATES, LINKED_CITATION_RATIO, MAX_CANDIDATES

    question = "tang ca ngay thuong tinh nhiu %"
    linked = LINKED_CITATION_RATIO + 0.02
    between = [passage(n, 100 + n, ARTICLE_35, "1", linked + 0.01) for n in range(2, MAX_CANDIDATES + 3)]
    law = passage(len(between) + 2, 98, ARTICLE_98, "1", linked)
    assert law.number <= LINK_CANDIDATES < law.number + MAX_CANDIDATES
    chosen = ExtractiveGenerator().select(question, [decree_passage(1, 55, DECREE_55, 1.0), *between, law])
    assert [s.passage.article for s in chosen] == [55, 98]
    # Beyond the passages looked at, it is not cited.
    crowd = [passage(n, 100 + n, ARTICLE_35, "1", linked + 0.01) for n in range(2, LINK_CANDIDATES + 1)]
    late = passage(LINK_CANDIDATES + 1, 98, ARTICLE_98, "1", linked)
    assert [s.passage.article for s in ExtractiveGenerator().select(
        question, [decree_passage(1, 55, DECREE_55, 1.0), *crowd, late]
    )] == [55]


def test_an_article_of_the_same_law_named_by_the_first_is_cited_up_to_three_in_all() -> None:
    from assistant.answering.extractive import INTERNAL_CITATION_RATIO, MAX_CITATIONS

    naming_37 = ARTICLE_36 + "\n3. Trừ trường hợp quy định tại Điều 37 của Bộ luật này."
    question = "cty duoi viec khi dang om co dc ko"
    near, far = INTERNAL_CITATION_RATIO + 0.05, INTERNAL_CITATION_RATIO - 0.05
    first = passage(1, 36, naming_37, "1", 1.0)
    chosen = ExtractiveGenerator().select(question, [first, passage(2, 37, ARTICLE_37, None, near)])
    assert [s.passage.article for s in chosen] == [36, 37]
    chosen = ExtractiveGenerator().select(question, [first, passage(2, 37, ARTICLE_37, None, far)])
    assert [s.passage.article for s in chosen] == [36]
    # Two close runners-up and a named article: three citations at most.
    crowd = [
        passage(1, 36, naming_37, "1", 1.0), passage(2, 35, ARTICLE_35, "1", 0.95),
        passage(3, 34, ARTICLE_35.replace("45", "30"), "1", 0.94), passage(4, 37, ARTICLE_37, None, 0.93),
    ]
    assert len(ExtractiveGenerator().select(question, crowd)) == MAX_CITATIONS


ARTICLE_22 = (
    "1. Phụ lục hợp đồng lao động là bộ phận của hợp đồng lao động và có hiệu lực như hợp đồng lao động.\n"
    "2. Trường hợp phụ lục hợp đồng lao động quy định chi tiết một số điều, khoản của hợp đồng lao động mà dẫn đến "
    "cách hiểu khác với hợp đồng lao động thì thực hiện theo nội dung của hợp đồng lao động."
)
ARTICLE_91 = (
    "1. Mức lương tối thiểu là mức lương thấp nhất được trả cho người lao động làm công việc giản đơn nhất trong "
    "điều kiện lao động bình thường.\n2. Mức lương tối thiểu được xác lập theo vùng, ấn định theo tháng, giờ."
)
DECREE_3 = "1. Quy định mức lương tối thiểu tháng như sau: Vùng I: 5.310.000 đồng/tháng."


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Phụ lục hợp đồng lao động là gì?", "phu luc hop dong lao dong"),
        ("cho em hoi muc luong toi thieu la gi", "muc luong toi thieu"),
        ("Lương là gì?", ""),  # one syllable: too loose to look for its definition
        ("Phụ lục hợp đồng lao động có hiệu lực không?", ""),
    ],
)
def test_a_definition_question_names_its_term(question: str, term: str) -> None:
    assert defined_term(question) == term


@pytest.mark.parametrize("question", ["Phụ lục hợp đồng lao động là gì", "phu luc hop dong lao dong la gi"])
def test_a_definition_question_quotes_the_clause_that_defines_the_term(question: str) -> None:
    # Retrieval chose clause 2, which also names the term; clause 1 says what it is.
    chosen = ExtractiveGenerator().select(question, [passage(1, 22, ARTICLE_22, "2", 1.0)])
    assert chosen[0].unit is not None and chosen[0].unit.clause == "1"
    plain = "Phụ lục hợp đồng lao động có hiệu lực không"
    other = ExtractiveGenerator().select(plain, [passage(1, 22, ARTICLE_22, "2", 1.0)])
    assert other[0].unit is not None and other[0].unit.clause == "2"


def test_a_definition_question_leads_with_the_article_that_defines_the_term() -> None:
    decree = passage(1, 3, DECREE_3, "1", 1.0)
    law = passage(2, 91, ARTICLE_91, "2", 0.95)
    chosen = ExtractiveGenerator().select("Mức lương tối thiểu là gì?", [decree, law])
    assert [s.passage.article for s in chosen] == [91, 3]
    assert chosen[0].unit is not None and chosen[0].unit.clause == "1"
    assert defining_unit("muc luong toi thieu", decree.units()) is None


def test_an_article_retrieval_names_no_clause_of_is_quoted_whole_when_short() -> None:
    # Retrieval leaves the clause open when the question matches the lead-in only ("thử việc tối đa bao lâu"):
    # quoting one of the durations would read as the answer for every job.
    article_25 = (
        "Thời gian thử việc do hai bên thỏa thuận nhưng chỉ được thử việc một lần đối với một công việc và bảo đảm "
        "điều kiện sau đây:\n1. Không quá 180 ngày đối với công việc của người quản lý doanh nghiệp;\n"
        "2. Không quá 60 ngày đối với công việc cần trình độ từ cao đẳng trở lên;\n"
        "3. Không quá 06 ngày làm việc đối với công việc khác."
    )
    draft = ExtractiveGenerator().generate("Thử việc tối đa bao lâu?", [passage(1, 25, article_25, None, 1.0)])
    assert draft is not None
    (citation,) = draft.citations
    assert citation.clause is None and "180 ngày" in citation.quote and "06 ngày" in citation.quote
