"""Shared fixtures: settings on tmp_path, and a database URL on both SQLite and PostgreSQL.

Use ``db_settings`` for anything that must work on both databases: each test runs twice, once on a
fresh SQLite file and once on a fresh PostgreSQL database (127.0.0.1:5432, trust auth). In CI
(``CI=true``) an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings

PG_ADMIN_URL = os.environ.get("CONGDOAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _pg_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def pg_admin() -> str:
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432; .ci/run must start it")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_admin: str) -> Iterator[str]:
    import psycopg

    name = f"congdoan_t_{uuid.uuid4().hex[:12]}"
    admin = pg_admin.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for one test: everything under tmp_path, nothing read from a .env file."""
    values: dict[str, object] = {"data_dir": tmp_path / "var"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return make_settings(tmp_path)
    url = request.getfixturevalue("pg_url")
    return make_settings(tmp_path, database_url=url)


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "raw").is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return SHARED
