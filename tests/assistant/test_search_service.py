"""Which provisions reach the search index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.config import Settings
from assistant.db.engine import Database
from assistant.db.migrate import upgrade
from assistant.search import provision_chunks
from ingestion.catalogue import Catalogue
from ingestion.metadata import Overrides
from ingestion.pipeline import Ingestor

TEXT = """LUẬT
MẪU THỬ
Căn cứ Hiến pháp;
Quốc hội ban hành Luật Mẫu thử.
Điều 1. Thời giờ làm việc
Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày.
Điều 2. Sửa đổi, bổ sung một số điều của các luật có liên quan
1. Sửa đổi khoản 2 Điều 5 của Luật Khác như sau: “2. Thời giờ làm việc là 10 giờ.”
Điều 3. Sửa đổi, bổ sung hợp đồng lao động
Hai bên có thể thỏa thuận sửa đổi hợp đồng lao động.
Điều 4. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2030.
"""


def _sample_database(settings: Settings, tmp_path: Path) -> Database:
    """A fresh database holding the sample law above as 99/2029/QH15."""
    upgrade(settings)
    db = Database(settings)
    path = tmp_path / "mau.txt"
    path.write_text(TEXT, encoding="utf-8")
    Ingestor(db, Catalogue([])).ingest_path(path, Overrides(number="99/2029/QH15"))
    return db


def test_articles_that_amend_other_laws_are_not_indexed(settings: Settings, tmp_path: Path) -> None:
    db = _sample_database(settings, tmp_path)
    with db.session() as session:
        articles = {c.article for c in provision_chunks(session)}
    assert articles == {1, 3, 4}


def test_sync_reports_embedding_progress(settings: Settings, tmp_path: Path) -> None:
    from assistant.search import SearchService

    db = _sample_database(settings, tmp_path)
    seen: list[tuple[int, int]] = []
    service = SearchService(settings, db)
    report = service.sync(lambda done, total: seen.append((done, total)))
    assert report.added == 3
    assert seen and seen[-1] == (3, 3)
    seen.clear()
    service.sync(lambda done, total: seen.append((done, total)))
    assert seen == []  # nothing new to embed
    service.close()


SECOND = """QUY CHẾ
CHI TRẢ PHỤ CẤP CA ĐÊM
Điều 1. Phụ cấp ca đêm
Người lao động làm ca đêm được phụ cấp thêm 50.000 đồng mỗi ca.
"""


def test_a_running_process_picks_up_documents_ingested_by_another(settings: Settings, tmp_path: Path) -> None:
    """The server's index follows a curator's ``congdoan ingest`` from another process: the database
    generation moves, the files on disk are synced by whichever process gets there first, and the running
    retriever is swapped without a restart; questions use the old one until then."""
    from assistant.corpus_state import generation
    from assistant.search import SearchService

    upgrade(settings)
    db = Database(settings)
    first = tmp_path / "mau.txt"
    first.write_text(TEXT, encoding="utf-8")
    Ingestor(db, Catalogue([])).ingest_path(first, Overrides(number="99/2029/QH15"))
    server = SearchService(settings, Database(settings))
    server.sync()
    assert server.retriever is not None and server.refresh() is False

    curator_db = Database(settings)
    second = tmp_path / "phu-cap.txt"
    second.write_text(SECOND, encoding="utf-8")
    Ingestor(curator_db, Catalogue([])).ingest_path(
        second, Overrides(number="01/2029/QC-CĐCS", valid_from=date(2025, 1, 1))
    )
    with curator_db.session() as session:
        assert generation(session) == server.loaded_generation + 1  # type: ignore[operator]
    before = server.retriever
    assert all(h.work_number != "01/2029/QC-CĐCS" for h in before.search_bm25("phụ cấp ca đêm", k=5))

    assert server.refresh() is True
    hits = server.retriever.search_bm25("phụ cấp ca đêm", k=5)
    assert hits and hits[0].work_number == "01/2029/QC-CĐCS"
    assert server.retriever is not before and server.refresh() is False
    server.close()


def test_search_uses_the_shipped_query_adapter_unless_turned_off(settings: Settings) -> None:
    from assistant.config import EmbeddingSettings
    from assistant.search import SearchService

    upgrade(settings)
    db = Database(settings)
    service = SearchService(settings, db)
    assert service.index.adapter is not None and service.index.adapter.embedding_model == service.embedding_model
    service.close()
    off = settings.model_copy(update={"embedding": EmbeddingSettings(query_adapter=False)})
    service = SearchService(off, db)
    assert service.index.adapter is None
    service.close()


def test_search_uses_the_shipped_reranker_unless_turned_off(settings: Settings) -> None:
    from assistant.config import EmbeddingSettings
    from assistant.search import SearchService

    upgrade(settings)
    db = Database(settings)
    service = SearchService(settings, db)
    assert service.index.reranker is not None and service.index.reranker.embedding_model == service.embedding_model
    service.close()
    off = settings.model_copy(update={"embedding": EmbeddingSettings(article_reranker=False)})
    service = SearchService(off, db)
    assert service.index.reranker is None and service.index.adapter is not None
    service.close()


def test_a_curator_s_question_bank_leads_workers_words_to_its_provision(settings: Settings, tmp_path: Path) -> None:
    """The bank's questions are searched as text of their provisions: "cày mấy tiếng" is nowhere in the law."""
    import json

    import pytest

    from assistant.retrieval.question_bank import QuestionBankError
    from assistant.search import SearchService

    db = _sample_database(settings, tmp_path)
    bank = tmp_path / "bank.jsonl"
    line = {"question": "sếp bắt cày mấy tiếng một ngày", "provisions": [{"work_number": "99/2029/QH15", "article": 1}]}
    bank.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    day = date(2030, 6, 1)

    service = SearchService(settings.model_copy(update={"question_bank_path": bank}), db)
    service.sync()
    hits = service.search("sep bat cay may tieng", k=3, as_of=day)
    assert [(h.work_number, h.article) for h in hits][:1] == [("99/2029/QH15", 1)]
    service.close()

    off = SearchService(settings.model_copy(update={"question_bank_path": bank, "question_bank_weight": 0.0}), db)
    assert off.retriever.question_terms is None
    assert off.search("sep bat cay may tieng", k=3, as_of=day)[0].article == 3  # type: ignore[attr-defined]
    off.close()

    bank.write_text('{"question": "thiếu điều luật"}\n', encoding="utf-8")
    with pytest.raises(QuestionBankError, match="dòng 1"):
        SearchService(settings.model_copy(update={"question_bank_path": bank}), db)


def test_the_most_similar_earlier_question_votes_for_its_article(settings: Settings, tmp_path: Path) -> None:
    """Most of the bank's questions with these words are about working hours (Điều 1), so its text lifts Điều 1; the
    one asked before almost word for word was answered by Điều 3, and its vote puts Điều 3 first."""
    import json

    from assistant.search import SearchService

    db = _sample_database(settings, tmp_path)
    bank = tmp_path / "bank.jsonl"
    lines = [
        ("sếp bắt cày mấy tiếng một ngày thì đúng luật", 1),
        ("một ngày cày mấy tiếng là tối đa", 1),
        ("sếp bắt làm mấy tiếng một ngày", 1),
        ("sếp bắt cày mấy tiếng", 3),
    ]
    rows = [{"question": q, "provisions": [{"work_number": "99/2029/QH15", "article": a}]} for q, a in lines]
    bank.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    question, day = "sep bat cay may tieng", date(2030, 6, 1)
    update = {"question_bank_path": bank, "question_bank_neighbours": 1}

    def first(vote_weight: float) -> int:
        service = SearchService(settings.model_copy(update={**update, "question_bank_vote_weight": vote_weight}), db)
        service.sync()
        assert service.retriever.reranker is not None
        votes = service.retriever.question_terms.article_votes(["sep", "bat", "cay", "may", "tieng"])  # type: ignore[union-attr]
        article = service.search(question, k=3, as_of=day)[0].article
        service.close()
        assert votes == ({("99/2029/QH15", 3): vote_weight} if vote_weight else {})
        return article

    assert first(0.0) == 1
    assert first(50.0) == 3
