"""The question bank: its file format, and how its questions lift the provisions that answer them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.retrieval.chunks import Chunk, chunks_from_provision
from assistant.retrieval.hybrid import ChunkTable, HybridRetriever
from assistant.retrieval.lexical import LexicalIndex, chunk_tokens
from assistant.retrieval.question_bank import (
    BankEntry,
    QuestionBankError,
    QuestionTerms,
    SimilarQuestions,
    load_bank,
    parse_bank,
    tokenize_bank,
    tokenize_bank_with,
)
from assistant.vietnamese import index_tokens

WORK = "45/2019/QH14"


def _provision(article: int, title: str, clauses: list[str], split: bool = True) -> list[Chunk]:
    return chunks_from_provision(
        provision_id=f"p{article}",
        work_number=WORK,
        version_label=WORK,
        document_title="Bộ luật Lao động",
        article=article,
        article_label=str(article),
        title=title,
        text="\n".join(f"{i}. {text}" for i, text in enumerate(clauses, start=1)),
        clauses=[{"number": str(i), "text": text, "points": []} for i, text in enumerate(clauses, start=1)],
        valid_from=date(2021, 1, 1),
        valid_to=None,
        split_threshold=0 if split else 100_000,
    )


# Three articles in the law's own words: none says "đuổi", "sếp", "ngang xương", "cưới" or "bố mẹ vợ".
CHUNKS = [
    *_provision(
        36,
        "Quyền đơn phương chấm dứt hợp đồng lao động của người sử dụng lao động",
        [
            "Người sử dụng lao động có quyền đơn phương chấm dứt hợp đồng lao động trong trường hợp người lao "
            "động thường xuyên không hoàn thành công việc theo hợp đồng lao động.",
            "Khi đơn phương chấm dứt hợp đồng lao động, người sử dụng lao động phải báo trước cho người lao động.",
        ],
    ),
    *_provision(
        113,
        "Nghỉ hằng năm",
        ["Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động thì được nghỉ hằng năm 12 ngày."],
        split=False,
    ),
    *_provision(
        115,
        "Nghỉ việc riêng, nghỉ không hưởng lương",
        [
            "Người lao động được nghỉ việc riêng mà vẫn hưởng nguyên lương khi kết hôn: nghỉ 03 ngày.",
            "Người lao động được nghỉ không hưởng lương 01 ngày khi cha, mẹ kết hôn hoặc anh, chị, em ruột kết hôn.",
        ],
        split=False,
    ),
]


def _terms(entries: list[BankEntry], weight: float = 0.2, clause_weight: float = 0.0) -> QuestionTerms | None:
    return QuestionTerms.build(CHUNKS, tokenize_bank(entries, index_tokens), weight, clause_weight)


def _retriever(terms: QuestionTerms | None) -> HybridRetriever:
    lexical = LexicalIndex.build([c.id for c in CHUNKS], [chunk_tokens(c) for c in CHUNKS])
    return HybridRetriever(ChunkTable(CHUNKS), lexical, None, question_terms=terms)


def test_the_chunks_are_split_by_clause() -> None:
    assert [(c.article, c.clause) for c in CHUNKS] == [(36, "1"), (36, "2"), (113, None), (115, None)]


def test_a_worker_s_words_reach_the_clause_the_bank_pairs_them_with() -> None:
    question = "sep duoi ngang xuong luon"
    bank = [
        BankEntry("bị sếp đuổi ngang xương", ((WORK, 36, "2"),)),
        BankEntry("làm đủ năm được nghỉ phép mấy ngày", ((WORK, 113, None),)),
    ]
    without = _retriever(None).search(question, k=3)
    with_bank = _retriever(_terms(bank)).search(question, k=3)
    assert not without
    assert [(h.article, h.clause) for h in with_bank][:1] == [(36, "2")]


def test_the_bank_adds_to_the_law_s_own_words_and_does_not_replace_them() -> None:
    bank = [BankEntry("sếp đuổi việc", ((WORK, 36, "1"),))]
    hits = _retriever(_terms(bank)).search("nghỉ hằng năm được mấy ngày", k=3)
    assert hits[0].article == 113


def test_a_clause_that_is_not_a_chunk_of_its_own_lends_its_words_to_the_article() -> None:
    terms = _terms([BankEntry("phép năm được mấy bữa", ((WORK, 113, "1"),))])
    assert terms is not None
    scores = terms.scores(index_tokens("phép năm mấy bữa"))
    assert scores is not None
    assert int(scores.argmax()) == 2 and scores[0] == scores[1] == scores[3] == 0


WEDDING = [
    BankEntry("bản thân đám cưới được nghỉ mấy ngày có lương", ((WORK, 115, "1"),)),
    BankEntry("em gái lấy chồng thì xin nghỉ được không", ((WORK, 115, "2"),)),
]


def test_inside_a_whole_article_the_bank_scores_the_clause_its_questions_are_about() -> None:
    terms = _terms(WEDDING, clause_weight=0.5)
    assert terms is not None
    tokens = index_tokens("ban than dam cuoi nghi co luong")
    found = terms.clause_scores(tokens, 3)
    assert found["1"] > found.get("2", 0.0) > 0 or set(found) == {"1"}
    assert terms.clause_scores(tokens, 2) == {}
    off = _terms(WEDDING, clause_weight=0.0)
    assert off is not None and off.clause_scores(tokens, 3) == {}


def test_the_bank_chooses_the_clause_of_a_whole_article_the_law_s_words_would_not() -> None:
    # "kết hôn" is written twice in khoản 2 and once in khoản 1: the law's words alone quote khoản 2.
    question = "ket hon duoc nghi may ngay, ban than dam cuoi"
    plain = _retriever(_terms(WEDDING))
    assert [(h.article, h.clause) for h in plain.search(question, k=1)] == [(115, "2")]
    with_clauses = _retriever(_terms(WEDDING, clause_weight=0.5))
    assert [(h.article, h.clause) for h in with_clauses.search(question, k=1)] == [(115, "1")]


def test_the_weight_scales_the_score_and_zero_turns_the_bank_off() -> None:
    entries = [BankEntry("sếp đuổi việc", ((WORK, 36, "1"),))]
    light, heavy = _terms(entries, 0.1), _terms(entries, 0.4)
    assert light is not None and heavy is not None
    tokens = index_tokens("sếp đuổi")
    light_scores, heavy_scores = light.scores(tokens), heavy.scores(tokens)
    assert light_scores is not None and heavy_scores is not None
    assert heavy_scores[0] == pytest.approx(4 * light_scores[0]) and light_scores[0] > 0
    assert _terms(entries, 0.0) is None


def test_words_the_bank_never_saw_leave_the_scores_alone() -> None:
    terms = _terms([BankEntry("sếp đuổi việc", ((WORK, 36, "1"),))])
    assert terms is not None and terms.scores(index_tokens("thai sản")) is None


def test_a_bank_whose_provisions_are_not_loaded_is_no_bank() -> None:
    assert _terms([BankEntry("đóng đoàn phí bao nhiêu", (("174/QĐ-TLĐ", 26, "1"),))]) is None


def test_the_file_format_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "bank.jsonl"
    lines = [
        "# câu hỏi mẫu",
        "",
        json.dumps({"question": " cty  nợ lương ", "provisions": [{"work_number": "45/2019/qh14", "article": "97"}]}),
        json.dumps({"question": "nghỉ phép", "provisions": [{"work_number": WORK, "article": 113, "clause": 1}]}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert load_bank(path) == [
        BankEntry("cty  nợ lương", ((WORK, 97, None),)),
        BankEntry("nghỉ phép", ((WORK, 113, "1"),)),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "dòng 2: không phải JSON"),
        (json.dumps({"question": "", "provisions": [{"work_number": WORK, "article": 1}]}), "dòng 2: cần có"),
        (json.dumps({"question": "hỏi", "provisions": []}), "dòng 2: cần có"),
        (json.dumps({"question": "hỏi", "provisions": [{"article": 1}]}), "dòng 2: mỗi điều luật"),
        (json.dumps({"question": "hỏi", "provisions": [{"work_number": WORK, "article": "x"}]}), "số điều"),
    ],
)
def test_a_bad_line_is_named_with_its_number(line: str, message: str) -> None:
    with pytest.raises(QuestionBankError, match=message):
        parse_bank(["# đầu tệp", line], "bank.jsonl")


def test_the_shipped_bank_loads_and_names_real_provisions() -> None:
    bank = load_bank()
    assert len(bank) > 2000
    assert all(entry.question and entry.provisions for entry in bank)
    assert {work for entry in bank for work, _, _ in entry.provisions} >= {WORK, "41/2024/QH15", "50/2024/QH15"}


def test_a_question_in_the_law_s_own_words_keeps_the_clause_they_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bank speaks only through the words the article does not use: its own words already chose a clause."""
    import assistant.retrieval.question_bank as question_bank

    bank = [BankEntry("em gái kết hôn được nghỉ hưởng nguyên lương không", ((WORK, 115, "2"),))] * 5
    question = "kết hôn được nghỉ hưởng nguyên lương"
    retriever = _retriever(_terms(bank, clause_weight=2.0))
    assert [(h.article, h.clause) for h in retriever.search(question, k=1)] == [(115, "1")]
    # Counted with the article's own words, the bank would have overruled them.
    monkeypatch.setattr(question_bank, "index_tokens", lambda text: [])
    retriever = _retriever(_terms(bank, clause_weight=2.0))
    assert [(h.article, h.clause) for h in retriever.search(question, k=1)] == [(115, "2")]


def test_a_bank_file_that_cannot_be_read_says_which_and_what_to_check(tmp_path: Path) -> None:
    with pytest.raises(QuestionBankError, match="CONGDOAN_QUESTION_BANK_PATH"):
        load_bank(tmp_path / "missing.jsonl")
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes('{"question": "nghỉ phép"}'.encode("utf-16"))
    with pytest.raises(QuestionBankError, match="UTF-8"):
        load_bank(latin)


def test_the_most_similar_questions_vote_for_their_articles_by_score() -> None:
    bank = [
        BankEntry("công ty nợ lương hai tháng rồi", ((WORK, 97, "4"),)),
        BankEntry("công ty nợ lương thì báo trước mấy ngày để nghỉ", ((WORK, 35, "2"), (WORK, 97, "4"))),
        BankEntry("nghỉ phép năm được mấy ngày", ((WORK, 113, "1"),)),
    ]
    similar = SimilarQuestions.build(tokenize_bank(bank, index_tokens), weight=8.0, neighbours=2)
    assert similar is not None
    votes = similar.votes(index_tokens("cty no luong 2 thang"))
    assert set(votes) == {(WORK, 97), (WORK, 35)}
    assert votes[(WORK, 97)] > votes[(WORK, 35)] > 0
    assert sum(votes.values()) == pytest.approx(8.0)
    assert similar.votes(index_tokens("xin chào")) == {}
    assert SimilarQuestions.build(tokenize_bank(bank, index_tokens), weight=0.0) is None


def test_a_bank_is_tokenized_once_per_process_for_the_same_lexicon() -> None:
    from assistant.vietnamese import Lexicon, LexiconEntry

    bank = [BankEntry("sếp đuổi ngang xương", ((WORK, 36, "2"),))]
    plain = Lexicon([])
    first = tokenize_bank_with(bank, plain)
    assert tokenize_bank_with(list(bank), Lexicon([])) is first
    curated = Lexicon([LexiconEntry(terms=("đuổi",), legal=("đơn phương chấm dứt",))])
    expanded = tokenize_bank_with(bank, curated)
    assert expanded is not first and "cham" in expanded[0][0] and "cham" not in first[0][0]
