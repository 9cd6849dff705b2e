"""The widget's endpoints answer other sites' pages (errors included); officer endpoints do not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cors import is_public
from assistant.platform import Platform
from tests.conftest import make_settings

ORIGIN = {"Origin": "https://congdoan-tinh.example.vn"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    platform = Platform(make_settings(tmp_path))
    with TestClient(create_app(platform.settings, platform)) as test_client:
        yield test_client
    platform.close()


@pytest.mark.parametrize(
    "path", ["/api/v1/chat", "/api/v1/chat/stream", "/api/v1/feedback", "/api/v1/cases",
             "/api/v1/cases/by-conversation/abc"],
)
def test_preflight_of_member_endpoints(client: TestClient, path: str) -> None:
    response = client.options(path, headers={**ORIGIN, "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


def test_errors_of_member_endpoints_are_readable_cross_origin(client: TestClient) -> None:
    refused = client.post("/api/v1/cases", json={"conversation_id": "x", "consent": False}, headers=ORIGIN)
    assert refused.status_code == 422
    assert refused.headers["access-control-allow-origin"] == "*"
    missing = client.get("/api/v1/cases/by-conversation/khong-co", headers=ORIGIN)
    assert missing.status_code == 404
    assert missing.headers["access-control-allow-origin"] == "*"
    too_long = client.post("/api/v1/chat", json={"message": "a" * 5000}, headers=ORIGIN)
    assert too_long.status_code == 422
    assert too_long.headers["access-control-allow-origin"] == "*"


def test_officer_endpoints_stay_same_origin(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "x", "password": "y"}, headers=ORIGIN)
    assert "access-control-allow-origin" not in response.headers
    assert not is_public("/api/v1/cases/123/reply")
    assert not is_public("/api/v1/cases/123")
    assert not is_public("/portal/login")
