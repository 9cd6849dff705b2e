"""Build the answer chain from settings: the LLM generator only when one is configured."""

from __future__ import annotations

from assistant.answering.articles import ArticleTexts
from assistant.answering.chain import AnswerChain
from assistant.answering.llm import LLMGenerator
from assistant.answering.newer import NewerTexts
from assistant.answering.passages import Retriever
from assistant.answering.topic_model import DEFAULT_PATH, TopicModel
from assistant.config import Settings
from assistant.db.engine import Database
from assistant.vietnamese import Lexicon

PROVIDERS = ("extractive", "openai")


def build_chain(settings: Settings, retriever: Retriever, db: Database | None = None) -> AnswerChain:
    provider = settings.llm.provider.strip().lower()
    if provider not in PROVIDERS:
        raise ValueError(
            f"CONGDOAN_LLM__PROVIDER={settings.llm.provider!r} không hợp lệ (chọn: {', '.join(PROVIDERS)})"
        )
    llm = None
    if provider == "openai":
        if not settings.llm.base_url:
            raise ValueError("CONGDOAN_LLM__PROVIDER=openai cần CONGDOAN_LLM__BASE_URL (máy chủ kiểu OpenAI)")
        llm = LLMGenerator.from_settings(settings.llm)
    return AnswerChain(
        retriever,
        llm,
        article_texts=ArticleTexts(db) if db is not None else None,
        lexicon=Lexicon.load(settings.lexicon_path),
        topic_model=TopicModel.load(DEFAULT_PATH, getattr(retriever, "embedding_model", "")),
        newer_texts=NewerTexts(db, generation=lambda: getattr(retriever, "loaded_generation", None))
        if db is not None
        else None,
    )
