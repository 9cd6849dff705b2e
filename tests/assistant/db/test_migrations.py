from __future__ import annotations

from sqlalchemy import inspect

from assistant.config import Settings
from assistant.db.engine import make_engine
from assistant.db.migrate import current_heads, downgrade, upgrade
from assistant.db.models import Base


def _tables(settings: Settings) -> set[str]:
    engine = make_engine(settings.database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_run_up_and_down(db_settings: Settings) -> None:
    upgrade(db_settings)
    assert current_heads(db_settings)
    assert set(Base.metadata.tables) <= _tables(db_settings)
    downgrade(db_settings, "base")
    assert not set(Base.metadata.tables) & _tables(db_settings)
    upgrade(db_settings)
    assert set(Base.metadata.tables) <= _tables(db_settings)


def test_migrations_match_models(db_settings: Settings) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    upgrade(db_settings)
    engine = make_engine(db_settings.database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
