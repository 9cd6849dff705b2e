"""A small real corpus for answer tests: documents ingested by the real pipeline into a database, and a
real BM25 retriever (HybridRetriever without vectors) over their provisions. No model is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.answering.articles import ArticleTexts
from assistant.answering.chain import AnswerChain
from assistant.answering.llm import LLMGenerator
from assistant.answering.newer import NewerTexts
from assistant.config import Settings
from assistant.db.engine import Database
from assistant.db.migrate import upgrade
from assistant.retrieval.hybrid import ChunkTable, HybridRetriever
from assistant.retrieval.lexical import LexicalIndex
from assistant.search import provision_chunks
from assistant.vietnamese import Lexicon, index_tokens
from ingestion.catalogue import Catalogue
from ingestion.pipeline import Ingestor

REPO = Path(__file__).resolve().parents[3]
RAW = REPO.parent / "shared" / "corpus" / "raw"
LABOUR_CODE = RAW / "blld-2019-vbhn-18-2026-vpqh.txt"
ORIGINAL_LABOUR_CODE = RAW / "blld-2019-45-2019-qh14.txt"


@dataclass
class Corpus:
    settings: Settings
    db: Database
    retriever: HybridRetriever
    lexicon: Lexicon

    def chain(self, llm: LLMGenerator | None = None) -> AnswerChain:
        return AnswerChain(
            self.retriever,
            llm,
            article_texts=ArticleTexts(self.db),
            lexicon=self.lexicon,
            newer_texts=NewerTexts(self.db),
        )


def build_corpus(settings: Settings, files: list[Path]) -> Corpus:
    upgrade(settings)
    db = Database(settings)
    ingestor = Ingestor(db, Catalogue.load())
    for path in files:
        ingestor.ingest_path(path)
    with db.session() as session:
        chunks = list(provision_chunks(session))
    lexical = LexicalIndex.build([c.id for c in chunks], [index_tokens(c.index_text) for c in chunks])
    lexicon = Lexicon.load()
    return Corpus(settings, db, HybridRetriever(ChunkTable(chunks), lexical, None, lexicon), lexicon)
