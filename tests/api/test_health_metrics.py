from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.config import Settings
from tests.conftest import make_settings


def test_health_ready_and_metrics(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "index": "ok"}
        client.get("/api/v1/search", params={"q": "nghỉ phép năm"})
        body = client.get("/metrics").text
        assert 'congdoan_http_requests_total{method="GET",route="/readyz",status="200"} 1.0' in body
        assert "congdoan_http_request_seconds_bucket" in body
        assert "congdoan_index_chunks" in body


def test_not_ready_when_database_is_down(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    client = TestClient(create_app(settings))  # no lifespan: the database is down from the start
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["ready"] is False
    assert ready.json()["checks"]["database"].startswith("lỗi")


def test_chat_with_database_down_says_what_to_do(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    response = client.post("/api/v1/chat", json={"message": "Nghỉ phép năm được bao nhiêu ngày?"})
    assert response.status_code == 503
    assert "thử lại" in response.json()["detail"]


def test_chat_pool_size_comes_from_settings(tmp_path: Path) -> None:
    from pydantic import ValidationError

    app = create_app(make_settings(tmp_path, chat_threads=5))
    assert app.state.chat_pool._max_workers == 5
    app.state.chat_pool.shutdown()
    with pytest.raises(ValidationError):
        make_settings(tmp_path, chat_threads=0)


def test_a_serving_process_freezes_its_long_lived_objects(settings: Settings) -> None:
    import gc

    threshold = gc.get_threshold()
    app = create_app(settings)
    app.state.serving = True  # as `congdoan serve` marks it; tests' apps are not frozen
    try:
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    with TestClient(create_app(settings)):
        assert gc.get_freeze_count() == 0
