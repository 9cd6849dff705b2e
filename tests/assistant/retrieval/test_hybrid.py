"""Hybrid search with real components: bm25s, the e5 model, Chroma, the packaged lexicon, real articles."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.retrieval.chunks import Chunk, chunks_from_provision
from assistant.retrieval.embeddings import E5Embeddings
from assistant.retrieval.hybrid import FusionConfig, HybridRetriever
from assistant.retrieval.index import SearchIndex
from assistant.retrieval.query_adapter import DEFAULT_PATH as ADAPTER_PATH
from assistant.retrieval.query_adapter import QueryAdapter
from assistant.vietnamese import Lexicon
from evals.datasets import load_datasets
from tests.assistant.retrieval.retrieval_sample import BLLD_2012, article_chunks

TODAY = date(2026, 11, 28)

# The internal rule of one grassroots union: it matches annual-leave questions better than the law does.
INTERNAL = chunks_from_provision(
    provision_id="noi-bo-1",
    work_number="05/QC-CĐCS-A",
    version_label="05/QC-CĐCS-A",
    document_title="Quy chế nội bộ Công đoàn cơ sở Công ty A",
    article=3,
    article_label="3",
    title="Nghỉ phép năm của đoàn viên",
    text=(
        "Đoàn viên nghỉ phép năm, nghỉ hằng năm được Công đoàn cơ sở hỗ trợ 500.000 đồng mỗi năm; "
        "đoàn viên được nghỉ phép năm đủ số ngày nghỉ hằng năm theo quy định."
    ),
    clauses=[],
    valid_from=date(2024, 1, 1),
    valid_to=None,
    scope_unit_code="CDCS-A",
)


# A third of the sample is enough here and keeps the e5 embedding of the corpus to a few seconds.
HYBRID_ARTICLES = [13, 24, 25, 35, 36, 97, 105, 107, 113, 114, 115, 125, 137, 139]


@pytest.fixture(scope="module")
def corpus() -> list[Chunk]:
    # Bộ luật Lao động 2012 (Điều 111, 157) was in force until 2021-01-01, when the 2019 code replaced it.
    old_code = article_chunks(
        [111, 157],
        path=BLLD_2012,
        work_number="10/2012/QH13",
        version_label="10/2012/QH13",
        valid_from=date(2013, 5, 1),
        valid_to=date(2021, 1, 1),
        id_prefix="blld2012",
    )
    new_code = article_chunks(HYBRID_ARTICLES, valid_from=date(2021, 1, 1))
    return [*new_code, *old_code, *INTERNAL]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings, corpus: list[Chunk]) -> Path:
    directory = tmp_path_factory.mktemp("hybrid")
    index = SearchIndex(directory, e5)
    index.sync(corpus)
    index.close()
    return directory


@pytest.fixture(scope="module")
def retriever(index_dir: Path, e5: E5Embeddings, lexicon: Lexicon) -> HybridRetriever:
    return SearchIndex(index_dir, e5, lexicon=lexicon).load()


@pytest.fixture(scope="module")
def via_chroma(index_dir: Path, e5: E5Embeddings, lexicon: Lexicon) -> HybridRetriever:
    """The same index, with every question sent to Chroma with a ``where`` clause."""
    return SearchIndex(index_dir, e5, lexicon=lexicon).load(vectors_in_memory=False)


def _top(hits: list, n: int = 1) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(h.work_number, h.article) for h in hits[:n]]


@pytest.mark.parametrize(
    ("query", "article"),
    [
        ("nghi phep nam duoc may ngay", 113),
        ("Nghỉ phép năm được mấy ngày?", 113),
        ("nghi de duoc may thang", 139),
        ("công ty nợ lương mấy tháng rồi", 97),
        ("tang ca toi da bao nhieu gio 1 thang", 107),
        ("thử việc tối đa bao lâu", 25),
    ],
)
def test_colloquial_questions_find_the_article(retriever: HybridRetriever, query: str, article: int) -> None:
    hits = retriever.search(query, k=5, as_of=TODAY)
    assert ("45/2019/QH14", article) in _top(hits, 3)


def test_hit_quotes_the_best_clause_and_point_exactly(retriever: HybridRetriever, corpus: list[Chunk]) -> None:
    hits = retriever.search("người khuyết tật được nghỉ hằng năm bao nhiêu ngày", k=3, as_of=TODAY)
    hit = hits[0]
    assert (hit.article, hit.clause, hit.point) == (113, "1", "b")
    assert hit.heading == "Điều 113. Nghỉ hằng năm"
    assert hit.text.startswith("14 ngày làm việc đối với người lao động chưa thành niên")
    stored = next(c for c in corpus if c.id == hit.chunk_id)
    assert hit.text in {p.text for p in stored.parts}
    # Every hit's text is a verbatim piece of what was indexed.
    for other in hits:
        chunk = next(c for c in corpus if c.id == other.chunk_id)
        assert other.text == chunk.text or other.text in {p.text for p in chunk.parts}


def test_short_article_hit_names_its_best_clause(retriever: HybridRetriever) -> None:
    hit = retriever.search("thời gian thử việc của người quản lý doanh nghiệp", k=3, as_of=TODAY)[0]
    assert (hit.article, hit.clause) == (25, "1")
    assert hit.text.startswith("1. Không quá 180 ngày")


@pytest.mark.parametrize("method", ["search", "search_bm25", "search_dense"])
@pytest.mark.parametrize("mode", ["retriever", "via_chroma"])
def test_as_of_picks_the_text_in_force(request: pytest.FixtureRequest, mode: str, method: str) -> None:
    search = getattr(request.getfixturevalue(mode), method)
    before = search("nghỉ hằng năm", k=10, as_of=date(2020, 6, 1))
    assert before and {h.work_number for h in before} == {"10/2012/QH13"}
    assert _top(before) == [("10/2012/QH13", 111)]
    now = search("nghỉ hằng năm", k=10, as_of=TODAY)
    assert "10/2012/QH13" not in {h.work_number for h in now}
    assert ("45/2019/QH14", 113) in _top(now, 3)


def test_valid_to_is_exclusive(retriever: HybridRetriever) -> None:
    hits = retriever.search("nghỉ thai sản", k=10, as_of=date(2021, 1, 1))
    assert "10/2012/QH13" not in {h.work_number for h in hits}
    hits = retriever.search("nghỉ thai sản", k=10, as_of=date(2020, 12, 31))
    assert _top(hits) == [("10/2012/QH13", 157)]


@pytest.mark.parametrize("method", ["search", "search_bm25", "search_dense"])
@pytest.mark.parametrize("mode", ["retriever", "via_chroma"])
def test_scoped_document_never_reaches_another_unit(request: pytest.FixtureRequest, mode: str, method: str) -> None:
    search = getattr(request.getfixturevalue(mode), method)
    query = "đoàn viên nghỉ phép năm được hỗ trợ bao nhiêu"
    own = search(query, k=10, as_of=TODAY, scopes=["CDCS-A", "LDLD-HN"])
    assert _top(own) == [("05/QC-CĐCS-A", 3)]
    for scopes in (None, [], ["CDCS-B", "LDLD-HN"], ["cdcs-a"]):
        hits = search(query, k=50, as_of=TODAY, scopes=scopes)
        assert hits
        assert "05/QC-CĐCS-A" not in {h.work_number for h in hits}


def test_versions_of_one_article_are_not_listed_twice(
    index_dir: Path, e5: E5Embeddings, corpus: list[Chunk], tmp_path: Path
) -> None:
    # Two overlapping versions of Điều 113 (a curator mistake): one hit, the better one.
    extra = [replace(c, id=c.id + "-v2", provision_id="v2", version_label="v2") for c in corpus if c.article == 113]
    (tmp_path / "index").mkdir()
    shutil.copy(index_dir / "index" / "embeddings.sqlite", tmp_path / "index" / "embeddings.sqlite")
    index = SearchIndex(tmp_path, e5)
    index.sync([*corpus, *extra])
    hits = index.load().search("nghỉ hằng năm", k=10, as_of=TODAY)
    assert sum(1 for h in hits if (h.work_number, h.article) == ("45/2019/QH14", 113)) == 1


def test_reciprocal_rank_fusion_is_available(index_dir: Path, e5: E5Embeddings, lexicon: Lexicon) -> None:
    rrf = SearchIndex(index_dir, e5, lexicon=lexicon, fusion=FusionConfig(method="rrf")).load()
    hits = rrf.search("nghi phep nam duoc may ngay", k=5, as_of=TODAY)
    assert ("45/2019/QH14", 113) in _top(hits, 3)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unaccented_question_is_restored_before_embedding(retriever: HybridRetriever) -> None:
    assert retriever.dense_query("nghi de duoc may thang") == "nghỉ đẻ được mấy tháng"
    # Accented questions reach e5 as typed.
    assert retriever.dense_query("Nghỉ đẻ được mấy tháng?") == "Nghỉ đẻ được mấy tháng?"
    hits = retriever.search_dense("nguoi lao dong nghi thai san truoc va sau khi sinh con", k=3, as_of=TODAY)
    assert _top(hits) == [("45/2019/QH14", 139)]


def test_a_clause_named_in_the_question_is_the_one_quoted(retriever: HybridRetriever) -> None:
    hit = retriever.search("khoản 3 Điều 113 quy định gì về nghỉ hằng năm", k=3, as_of=TODAY)[0]
    assert (hit.article, hit.clause) == (113, "3")
    hit = retriever.search("điểm c khoản 1 Điều 113", k=3, as_of=TODAY)[0]
    assert (hit.article, hit.clause, hit.point) == (113, "1", "c")


@pytest.mark.parametrize(
    ("query", "as_of", "scopes"),
    [
        ("nghi phep nam duoc may ngay", TODAY, None),
        ("nghỉ thai sản", date(2020, 6, 1), None),
        ("đoàn viên nghỉ phép năm", TODAY, ["CDCS-A"]),
    ],
)
def test_in_memory_vectors_rank_like_chroma(
    retriever: HybridRetriever, via_chroma: HybridRetriever, query: str, as_of: date, scopes: list[str] | None
) -> None:
    mine = retriever.search_dense(query, k=5, as_of=as_of, scopes=scopes)
    theirs = via_chroma.search_dense(query, k=5, as_of=as_of, scopes=scopes)
    assert [(h.work_number, h.article) for h in mine] == [(h.work_number, h.article) for h in theirs]
    assert [h.score for h in mine] == pytest.approx([h.score for h in theirs], abs=1e-4)


def test_a_question_that_spells_out_a_title_favours_that_article(
    index_dir: Path, e5: E5Embeddings, lexicon: Lexicon, corpus: list[Chunk]
) -> None:
    from assistant.vietnamese import fold

    chunk = next(c for c in corpus if c.work_number == "45/2019/QH14" and c.article == 113)
    title = chunk.heading.split(". ", 1)[1]
    question = f"cho tôi hỏi về {title.lower()} như thế nào"
    plain = SearchIndex(index_dir, e5, lexicon=lexicon, fusion=FusionConfig(title_bonus=0.0)).load()
    boosted = SearchIndex(index_dir, e5, lexicon=lexicon).load()
    before = {(h.work_number, h.article): h.score for h in plain.search(question, k=10, as_of=TODAY)}
    after = {(h.work_number, h.article): h.score for h in boosted.search(question, k=10, as_of=TODAY)}
    key = (chunk.work_number, chunk.article)
    assert after[key] == pytest.approx(before[key] + 0.1)
    assert _top(boosted.search(fold(question), k=1, as_of=TODAY)) == [key]


def _dense_rank(retriever: HybridRetriever, question: str, article: int) -> int:
    hits = retriever.search_dense(question, k=len(HYBRID_ARTICLES) + 3, as_of=TODAY)
    ranked = [h.article for h in hits if h.work_number == "45/2019/QH14"]
    return ranked.index(article) + 1 if article in ranked else len(HYBRID_ARTICLES) + 1


def test_the_shipped_query_adapter_brings_colloquial_questions_closer_to_their_article(
    retriever: HybridRetriever,
) -> None:
    """The tuning sets' colloquial questions about the sample's articles, dense search alone: the adapter fitted on
    them (assistant/data/query_adapter.npz) must rank their gold article higher than the raw e5 vector does."""
    adapter = QueryAdapter.load(ADAPTER_PATH, retriever.dense.embedding.model_id)  # type: ignore[union-attr]
    assert adapter is not None
    questions = [
        (q.question, g.article)
        for q in load_datasets(["slangdev", "slangdev2", "slangdev3", "slangdev4"])
        for g in q.gold[:1]
        if g.work_number == "45/2019/QH14" and g.article in HYBRID_ARTICLES
    ]
    assert len(questions) >= 40
    before = [_dense_rank(retriever, q, a) for q, a in questions]
    retriever.adapter = adapter
    try:
        after = [_dense_rank(retriever, q, a) for q, a in questions]
    finally:
        retriever.adapter = None
    first_before, first_after = sum(r == 1 for r in before), sum(r == 1 for r in after)
    mrr_before = sum(1 / r for r in before) / len(before)
    mrr_after = sum(1 / r for r in after) / len(after)
    assert first_after >= first_before + len(questions) // 10
    assert mrr_after > mrr_before + 0.05


@pytest.mark.parametrize("method", ["search", "search_dense"])
def test_the_query_adapter_still_finds_a_units_own_rule(retriever: HybridRetriever, method: str) -> None:
    """The adapter was fitted on public law only; a grassroots union's own rule, loaded later by a curator, must
    still come first for the question it answers (the blend keeps a quarter of the original vector)."""
    adapter = QueryAdapter.load(ADAPTER_PATH, retriever.dense.embedding.model_id)  # type: ignore[union-attr]
    retriever.adapter = adapter
    try:
        hits = getattr(retriever, method)(
            "đoàn viên nghỉ phép năm được hỗ trợ bao nhiêu", k=5, as_of=TODAY, scopes=["CDCS-A"]
        )
    finally:
        retriever.adapter = None
    assert _top(hits) == [("05/QC-CĐCS-A", 3)]


def test_a_figure_question_is_answered_by_the_closest_clause_that_states_one(retriever: HybridRetriever) -> None:
    """Khoản 2 Điều 113 ranks first for "nghỉ phép năm được bao nhiêu ngày" but states no number of days;
    khoản 6 (travel days) and khoản 1 (12 days) both do: the one closer in meaning answers."""
    import numpy as np

    rows = {
        c.clause: i for i, c in enumerate(retriever.table.chunks)
        if c.work_number == "45/2019/QH14" and c.article == 113 and c.valid_to is None
    }
    ranking = [(rows["2"], 0.93), (rows["6"], 0.89), (rows["1"], 0.86), (rows["3"], 0.5)]
    best = {("45/2019/QH14", "113"): (rows["2"], 0.93)}
    cosines = np.zeros(len(retriever.table.chunks), dtype=np.float32)
    cosines[rows["6"]], cosines[rows["1"]] = 0.959, 0.972
    key = ("45/2019/QH14", "113")
    assert retriever._with_figure(best, ranking, "ngay", cosines)[key] == (rows["1"], 0.93)
    assert retriever._with_figure(best, ranking, "ngay")[key] == (rows["6"], 0.93)
    # A clause scored well below the best one never stands for the article.
    far = [(rows["2"], 0.93), (rows["1"], 0.5)]
    assert retriever._with_figure(best, far, "ngay", cosines)[key] == (rows["2"], 0.93)


def test_the_title_bonus_reads_the_question_as_typed_not_the_lexicons_expansion(retriever: HybridRetriever) -> None:
    """The lexicon expands "hđ" to "hợp đồng lao động", the title of Điều 13: every contract question would get its
    bonus. Only a question that spells out the title itself does."""
    from assistant.retrieval.titles import names_title, question_words

    row = next(
        i for i, c in enumerate(retriever.table.chunks)
        if c.work_number == "45/2019/QH14" and c.article == 13 and c.valid_to is None
    )
    heading = retriever.table.chunks[row].heading
    key = ("45/2019/QH14", "13")
    colloquial = "hd cua em ko ghi muc luong voi gio lam gi het"
    assert names_title(question_words(retriever.lexicon.expand(retriever.lexicon.spell_out(colloquial))), heading)
    typed = retriever._rank(colloquial, TODAY, None)[2]  # what search reads titles from
    assert not names_title(typed.words, heading)
    assert retriever._with_title_bonus({key: (row, 0.5)}, typed, 0.1)[key] == (row, 0.5)
    asked = retriever._rank("Hợp đồng lao động là gì?", TODAY, None)[2]
    assert retriever._with_title_bonus({key: (row, 0.5)}, asked, 0.1)[key] == (row, 0.6)


def test_the_clause_written_for_the_stated_duration_stands_for_the_article(retriever: HybridRetriever) -> None:
    """Khoản 1 Điều 113 is for a year's work ("đủ 12 tháng"), khoản 2 for less ("chưa đủ 12 tháng"); the words
    are nearly the same, the months in the question are not."""
    from assistant.retrieval.quantities import question_quantities

    rows = {
        c.clause: i for i, c in enumerate(retriever.table.chunks)
        if c.work_number == "45/2019/QH14" and c.article == 113 and c.valid_to is None
    }
    key = ("45/2019/QH14", "113")
    best = {key: (rows["1"], 0.93)}
    ranking = [(rows["1"], 0.93), (rows["2"], 0.9), (rows["3"], 0.5)]

    def chosen(question: str, ranked: list[tuple[int, float]] = ranking) -> int:
        return retriever._with_quantities(best, best, ranked, question_quantities(question), None)[key][0]

    assert chosen("mới vào làm 5 tháng có được nghỉ phép năm không") == rows["2"]
    assert chosen("làm được 2 năm thì nghỉ phép năm bao nhiêu ngày") == rows["1"]
    assert chosen("nghỉ phép năm bao nhiêu ngày") == rows["1"]
    # A clause scored well below the best one never stands for the article.
    assert chosen("mới vào làm 5 tháng", [(rows["1"], 0.93), (rows["2"], 0.6)]) == rows["1"]
    hits = retriever.search("moi vao lam 5 thang thi co dc nghi phep nam khong", k=3, as_of=TODAY)
    assert (hits[0].article, hits[0].clause) == (113, "2")


def test_the_shipped_reranker_keeps_a_units_own_rule_first_and_colloquial_questions_found(
    retriever: HybridRetriever,
) -> None:
    """The reranker was fitted on public law only: with it (and the adapter it was fitted with), a union's own rule
    still comes first for its question, and the tuning sets' colloquial questions about the sample's articles find
    their gold article first at least as often as without it."""
    from assistant.retrieval.reranker import DEFAULT_PATH as RERANKER_PATH
    from assistant.retrieval.reranker import ArticleReranker

    model = retriever.dense.embedding.model_id  # type: ignore[union-attr]
    adapter, reranker = QueryAdapter.load(ADAPTER_PATH, model), ArticleReranker.load(RERANKER_PATH, model)
    assert adapter is not None and reranker is not None
    questions = [
        (q.question, g.article)
        for q in load_datasets(["slangdev", "slangdev2", "slangdev3", "slangdev4"])
        for g in q.gold[:1]
        if g.work_number == "45/2019/QH14" and g.article in HYBRID_ARTICLES
    ]
    retriever.adapter = adapter
    try:
        plain = sum(retriever.search(q, k=1, as_of=TODAY)[0].article == a for q, a in questions)
        retriever.reranker = reranker
        reranked = sum(retriever.search(q, k=1, as_of=TODAY)[0].article == a for q, a in questions)
        own = retriever.search("đoàn viên nghỉ phép năm được hỗ trợ bao nhiêu", k=5, as_of=TODAY, scopes=["CDCS-A"])
    finally:
        retriever.adapter, retriever.reranker = None, None
    assert _top(own) == [("05/QC-CĐCS-A", 3)]
    assert reranked >= plain, (reranked, plain)
