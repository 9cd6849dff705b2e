"""A penalty decree answers questions about penalties; a complaint is answered by the law that forbids the act."""

from __future__ import annotations

import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.hybrid import ChunkTable, HybridRetriever, asks_about_penalty, is_penalty_document
from assistant.retrieval.lexical import LexicalIndex
from assistant.vietnamese import Lexicon, index_tokens
from tests.assistant.retrieval.retrieval_sample import SHARED_RAW, article_chunks

PENALTY_TITLE = (
    "Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực lao động, bảo hiểm xã hội, người lao động Việt Nam"
    " đi làm việc ở nước ngoài theo hợp đồng"
)


@pytest.fixture(scope="module")
def retriever(lexicon: Lexicon) -> HybridRetriever:
    # Điều 17 of the Labour Code forbids keeping a worker's papers; Điều 9 of NĐ 12/2022 fines it, in the same words.
    chunks: list[Chunk] = article_chunks([17]) + article_chunks(
        [9],
        path=SHARED_RAW / "nd-12-2022-nd-cp.txt",
        work_number="12/2022/NĐ-CP",
        version_label="12/2022/NĐ-CP",
        title=PENALTY_TITLE,
        id_prefix="nd12",
    )
    lexical = LexicalIndex.build([c.id for c in chunks], [index_tokens(c.index_text) for c in chunks])
    return HybridRetriever(ChunkTable(chunks), lexical, None, lexicon)


def test_penalty_questions_and_documents_are_recognised() -> None:
    assert asks_about_penalty("Công ty giữ bằng gốc của em thì bị phạt bao nhiêu?")
    assert asks_about_penalty("cty ko ky hdld thi bi xu ly the nao")
    # The employer fining a worker is a question about discipline, not about administrative penalties.
    assert not asks_about_penalty("Công ty phạt tiền nhân viên đi trễ có đúng không?")
    assert not asks_about_penalty("Công ty giữ bằng gốc của em có đúng luật không?")
    assert is_penalty_document(PENALTY_TITLE)
    assert not is_penalty_document("Bộ luật Lao động")


def test_a_complaint_is_answered_by_the_law_and_a_penalty_question_by_the_decree(retriever: HybridRetriever) -> None:
    complaint = retriever.search("Công ty giữ bản chính văn bằng của người lao động có được không?", k=2)
    assert (complaint[0].work_number, complaint[0].article) == ("45/2019/QH14", 17)
    penalty = retriever.search("Công ty giữ bản chính văn bằng của người lao động thì bị phạt bao nhiêu?", k=2)
    assert (penalty[0].work_number, penalty[0].article) == ("12/2022/NĐ-CP", 9)
