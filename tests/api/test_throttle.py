"""Guessing is limited: staff sign-in (token and portal) and membership linking answer 429 with guidance
once an account or a member code has had too many attempts, in process and through Redis."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.throttle import LINK_PER_MEMBER, LOGIN_PER_ACCOUNT
from assistant.platform import Platform
from assistant.staff import add_staff
from tests.assistant.union_seed import PASSWORD, seed_union
from tests.conftest import make_settings

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", "redis"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    redis_url = ""
    if request.param == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url(REDIS, socket_timeout=2).ping()
        except redis.RedisError:
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        redis_url = REDIS
    platform = Platform(make_settings(tmp_path, redis_url=redis_url))
    # A fresh client address per test: Redis keeps the per-address counts for the whole window.
    address = (f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}", 50000)
    with TestClient(create_app(platform.settings, platform), client=address) as test_client:
        with platform.db.session() as session:
            seed_union(session)
        yield test_client
    platform.close()


def staff(client: TestClient) -> str:
    # A fresh name per run: Redis keeps the counts for the whole window.
    username = f"canbo-{uuid.uuid4().hex[:8]}"
    platform = client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.session() as session:
        add_staff(session, username, "officer", "HN-CG-A", PASSWORD, rounds=4)
    return username


def test_token_guessing_is_stopped_even_for_the_right_password(client: TestClient) -> None:
    username = staff(client)
    limit = LOGIN_PER_ACCOUNT[0]
    for _ in range(limit):
        response = client.post("/api/v1/auth/token", json={"username": username, "password": "sai-mat-khau"})
        assert response.status_code == 401
    blocked = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    assert "quá nhiều lần" in blocked.json()["detail"]
    other = staff(client)
    assert client.post("/api/v1/auth/token", json={"username": other, "password": PASSWORD}).status_code == 200


def test_portal_login_shows_the_limit_on_the_page(client: TestClient) -> None:
    username = staff(client)
    page = client.get("/portal/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {"username": username, "password": "sai", "csrf_token": csrf.group(1)}
    for _ in range(LOGIN_PER_ACCOUNT[0]):
        assert client.post("/portal/login", data=form, follow_redirects=False).status_code == 401
    blocked = client.post("/portal/login", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.text and "Retry-After" in blocked.headers


def test_member_code_guessing_is_stopped(client: TestClient) -> None:
    code = f"DV-{uuid.uuid4().hex[:6]}"
    for _ in range(LINK_PER_MEMBER[0]):
        response = client.post(
            "/api/v1/identity/link", json={"conversation_id": "khong-co", "member_code": code, "phone_suffix": "1234"}
        )
        assert response.status_code == 404
    blocked = client.post(
        "/api/v1/identity/link", json={"conversation_id": "khong-co", "member_code": code, "phone_suffix": "5678"}
    )
    assert blocked.status_code == 429
    assert "cán bộ công đoàn" in blocked.json()["detail"]
