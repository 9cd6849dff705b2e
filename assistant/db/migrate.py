"""Apply Alembic migrations programmatically (``congdoan db upgrade`` and at every start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from assistant.config import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings, revision: str = "head") -> None:
    settings.ensure_dirs()
    command.upgrade(alembic_config(settings.database_url), revision)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings.database_url), revision)


def current_heads(settings: Settings) -> list[str]:
    from alembic.runtime.migration import MigrationContext

    from assistant.db.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return list(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
