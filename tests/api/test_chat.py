"""The chat HTTP API on a live uvicorn server, with the real chain over the ingested Labour Code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from assistant.answering.factory import build_chain
from assistant.config import Settings
from assistant.db.conversations import Feedback, Message
from assistant.platform import Platform
from tests.api.conftest import LiveServer
from tests.assistant.answering.corpus import LABOUR_CODE, build_corpus
from tests.conftest import make_settings

NOTICE = "Tôi muốn nghỉ việc thì phải báo trước bao nhiêu ngày?"


def corpus_platform(settings: Settings) -> Platform:
    """A platform whose database holds the Labour Code and whose retriever is BM25 over it."""
    if not LABOUR_CODE.is_file():
        pytest.skip("shared corpus not found")
    corpus = build_corpus(settings, [LABOUR_CODE])
    platform = Platform(settings)
    platform.__dict__["retriever"] = corpus.retriever
    platform.__dict__["chain"] = build_chain(settings, corpus.retriever, platform.db)
    corpus.db.dispose()
    return platform


@pytest.fixture
def server(db_settings: Settings) -> Iterator[LiveServer]:
    platform = corpus_platform(db_settings)
    with LiveServer(db_settings, platform=platform) as live:
        yield live


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = make_settings(Path(tmp_path_factory.mktemp("chat-api")))
    with LiveServer(settings, platform=corpus_platform(settings)) as live:
        yield live


def test_chat_answers_stores_and_takes_feedback(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        first = client.post("/api/v1/chat", json={"message": NOTICE})
        assert first.status_code == 200, first.text
        answer = first.json()
        assert set(answer) >= {
            "conversation_id",
            "message_id",
            "answer",
            "citations",
            "refused",
            "escalation",
        }
        assert (
            answer["citations"][0]["article"] == 35
            and answer["citations"][0]["work_number"] == "45/2019/QH14"
        )
        follow = client.post(
            "/api/v1/chat",
            json={
                "message": "còn hợp đồng dưới 12 tháng thì sao?",
                "conversation_id": answer["conversation_id"],
            },
        ).json()
        assert follow["conversation_id"] == answer["conversation_id"]
        assert follow["citations"][0]["point"] == "c"
        rated = client.post(
            "/api/v1/feedback",
            json={"message_id": follow["message_id"], "rating": -1, "comment": "thiếu ví dụ"},
        )
        assert rated.status_code == 200, rated.text
        assert client.post("/api/v1/feedback", json={"message_id": "nope", "rating": 1}).status_code == 404
        assert (
            client.post(
                "/api/v1/feedback", json={"message_id": follow["message_id"], "rating": 5}
            ).status_code
            == 422
        )
    platform: Platform = server.app.state.platform
    with platform.db.session() as session:
        messages = list(
            session.scalars(
                select(Message)
                .where(Message.conversation_id == answer["conversation_id"])
                .order_by(Message.created_at)
            )
        )
        assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
        assert messages[1].trace["passages"] and messages[1].trace["generator"] == "extractive"
        assert messages[3].trace["query"].startswith(NOTICE)
        assert messages[3].citations[0]["point"] == "c" and messages[3].latency_ms is not None
        feedback = session.scalar(select(Feedback).where(Feedback.message_id == follow["message_id"]))
        assert feedback is not None and (feedback.rating, feedback.comment) == (-1, "thiếu ví dụ")


def parse_sse(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_stream_sends_sources_then_deltas_then_done(module_server: LiveServer) -> None:
    with httpx.Client(base_url=module_server.url, timeout=30) as client:
        response = client.post("/api/v1/chat/stream", json={"message": NOTICE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "sources" and names[-1] == "done" and set(names[1:-1]) == {"delta"}
    assert events[0][1]["sources"][0]["work_number"] == "45/2019/QH14"
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert done["message_id"] and done["citations"][0]["article"] == 35


def test_message_limits_give_vietnamese_422(module_server: LiveServer) -> None:
    with httpx.Client(base_url=module_server.url, timeout=30) as client:
        for path in ("/api/v1/chat", "/api/v1/chat/stream"):
            long = client.post(path, json={"message": "a" * 4001})
            assert long.status_code == 422
            assert "vượt giới hạn 4.000 ký tự" in long.json()["detail"][0]["msg"]
            empty = client.post(path, json={"message": "   "})
            assert empty.status_code == 422 and "chưa nhập câu hỏi" in empty.json()["detail"][0]["msg"]


def test_out_of_scope_search_widget_and_docs(module_server: LiveServer) -> None:
    with httpx.Client(base_url=module_server.url, timeout=30) as client:
        refused = client.post("/api/v1/chat", json={"message": "Cách nấu phở bò?"}).json()
        assert refused["refused"] is True and refused["citations"] == []
        hits = client.get("/api/v1/search", params={"q": "báo trước khi nghỉ việc", "k": 3}).json()["hits"]
        assert len(hits) == 3 and {"work_number", "article", "clause", "point", "score", "text"} <= set(
            hits[0]
        )
        widget = client.get("/widget.js")
        assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]
        assert "Gặp cán bộ công đoàn" in widget.text
        assert client.get("/widget.css").status_code == 200
        assert '<script src="/widget.js">' in client.get("/").text
        schema = client.get("/openapi.json").json()
        assert {"/api/v1/chat", "/api/v1/chat/stream", "/api/v1/feedback", "/api/v1/search"} <= set(
            schema["paths"]
        )
        assert client.options("/api/v1/chat").headers["access-control-allow-origin"] == "*"


def test_chat_reports_server_timing_and_the_load_generator_reads_it(module_server: LiveServer) -> None:
    import asyncio

    from evals.loadgen import run_load, server_timing

    assert server_timing("app;dur=12.5, answer;dur=10, chain;desc=x;dur=9.25") == {
        "app": 12.5, "answer": 10.0, "chain": 9.25
    }
    bodies = [{"message": NOTICE}, {"message": "Thời gian thử việc tối đa là bao lâu?"}, {"message": ""}]
    report = asyncio.run(run_load(module_server.url, bodies, clients=2))
    results = report["results"]
    assert [r["status"] for r in results] == [200, 200, 422]
    for entry in results[:2]:
        timing = entry["server"]
        assert set(timing) == {"app", "answer", "chain"}
        assert timing["app"] >= timing["answer"] >= timing["chain"] > 0
    # Every question of the load is stored with its trace, like any other.
    platform: Platform = module_server.app.state.platform
    with platform.db.session() as session:
        stored = session.scalars(select(Message).where(Message.role == "assistant")).all()
        assert any(m.trace.get("query") == NOTICE and m.trace.get("passages") for m in stored)
