"""Cases, members, conversations and documents over HTTP, on SQLite and PostgreSQL: an officer sees exactly
their unit and the units below it; anything else answers 404, exactly as if it did not exist."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from assistant.config import Settings
from assistant.db.documents import Work
from assistant.db.union import Member
from assistant.platform import Platform
from assistant.staff import add_staff
from tests.assistant.fake_channel import FakeChannel, HttpDeliverer
from tests.assistant.union_seed import PASSWORD, conversation, seed_union


@pytest.fixture
def platform(db_settings: Settings) -> Iterator[Platform]:
    platform = Platform(db_settings)
    yield platform
    platform.close()


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform.settings, platform)) as test_client:
        with platform.db.session() as s:
            seed_union(s)
            add_staff(s, "phaply.hcm", "legal", "HCM", PASSWORD, rounds=4)
        yield test_client


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def wait_for(check: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.fixture
def world(client: TestClient, platform: Platform) -> dict[str, Any]:
    """A member of HN-CG-A with a conversation and an open case, and an internal document of HN-CG-A."""
    with platform.db.session() as s:
        member = s.scalar(select(Member).where(Member.member_code == "DV-A1"))
        assert member is not None
        conv = conversation(s, user="web-a1", unit_code="HN-CG-A", member_id=member.id)
        answer_id = conv.messages[-1].id
        work = Work(number="01/QC-CĐCS-A", title="Quy chế chi tiêu nội bộ Công ty May A", scope_unit_code="HN-CG-A")
        s.add(work)
        s.flush()
        ids = {"conversation": conv.id, "member": member.id, "work": work.id, "answer": answer_id}
    opened = client.post("/api/v1/cases", json={"conversation_id": ids["conversation"], "consent": True})
    assert opened.status_code == 201, opened.text
    ids["case"] = opened.json()["id"]
    return ids


def test_consent_is_required_with_a_vietnamese_reason(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post("/api/v1/cases", json={"conversation_id": world["conversation"], "consent": False})
    assert response.status_code == 422 and "đồng ý" in response.json()["detail"]
    missing = client.post("/api/v1/cases", json={"conversation_id": uuid.uuid4().hex, "consent": True})
    assert missing.status_code == 404


def test_a_member_opens_a_case_and_the_officer_answers_it(client: TestClient, world: dict[str, Any]) -> None:
    again = client.post("/api/v1/cases", json={"conversation_id": world["conversation"], "consent": True})
    assert again.status_code == 200
    body = again.json()
    assert (body["id"], body["status"], body["unit_code"], body["created"]) == (
        world["case"],
        "open",
        "HN-CG-A",
        False,
    )
    assert body["due_at"].endswith("Z") and len(body["id"]) == 32

    officer = login(client, "cb.hn-cg-a")
    listed = client.get("/api/v1/cases", headers=officer).json()
    assert [c["id"] for c in listed["items"]] == [world["case"]]
    assert listed["items"][0]["category_label"] == "Tiền lương"
    detail = client.get(f"/api/v1/cases/{world['case']}", headers=officer).json()
    assert [m["role"] for m in detail["conversation"]["messages"]] == ["user", "assistant"]

    assert (
        client.post(f"/api/v1/cases/{world['case']}/assign", json={}, headers=officer).json()["assignee"]
        == "cb.hn-cg-a"
    )
    reply = client.post(
        f"/api/v1/cases/{world['case']}/reply",
        json={"text": "Chị mang hợp đồng tới văn phòng công đoàn nhé."},
        headers=officer,
    )
    assert reply.status_code == 200 and reply.json()["status"] == "answered"

    # The web widget sees the reply once the outbox worker has delivered it.
    def delivered() -> bool:
        replies = client.get(f"/api/v1/cases/by-conversation/{world['conversation']}").json()["replies"]
        return [r["text"] for r in replies] == ["Chị mang hợp đồng tới văn phòng công đoàn nhé."]

    def statuses() -> list[str]:
        detail = client.get(f"/api/v1/cases/{world['case']}", headers=officer).json()
        return [d["status"] for d in detail["deliveries"]]

    wait_for(delivered)
    # The worker marks the delivery sent just after the channel took it: under load the page can be read in between.
    wait_for(lambda: statuses() == ["sent"])
    assert statuses() == ["sent"]
    resolved = client.post(f"/api/v1/cases/{world['case']}/resolve", json={"note": "Đã hướng dẫn."}, headers=officer)
    assert resolved.json()["status"] == "resolved"
    actions = [e["action"] for e in client.get(f"/api/v1/cases/{world['case']}", headers=officer).json()["events"]]
    assert actions == ["opened", "assigned", "replied", "resolved"]
    again = client.post(f"/api/v1/cases/{world['case']}/reply", json={"text": "nữa"}, headers=officer)
    assert again.status_code == 409


def test_a_sibling_officer_can_neither_list_read_change_nor_guess(client: TestClient, world: dict[str, Any]) -> None:
    sibling = login(client, "cb.hn-cg-b")
    case, conv, member, work = world["case"], world["conversation"], world["member"], world["work"]
    guessed = uuid.uuid4().hex

    assert client.get("/api/v1/cases", headers=sibling).json()["items"] == []
    assert client.get("/api/v1/cases?status=all&unit=HN-CG-A", headers=sibling).json()["items"] == []
    for path in (f"/api/v1/cases/{case}", f"/api/v1/cases/{guessed}"):
        response = client.get(path, headers=sibling)
        assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy vụ việc."})
    for action, payload in [
        ("reply", {"text": "x"}),
        ("assign", {}),
        ("resolve", {"note": "x"}),
        ("escalate", {}),
    ]:
        real = client.post(f"/api/v1/cases/{case}/{action}", json=payload, headers=sibling)
        fake = client.post(f"/api/v1/cases/{guessed}/{action}", json=payload, headers=sibling)
        assert real.status_code == fake.status_code == 404 and real.json() == fake.json()

    assert "DV-A1" not in {m["member_code"] for m in client.get("/api/v1/members", headers=sibling).json()["items"]}
    assert client.get(f"/api/v1/members/{member}", headers=sibling).status_code == 404
    assert (
        client.get(f"/api/v1/members/{member + 10_000}", headers=sibling).json()
        == client.get(f"/api/v1/members/{member}", headers=sibling).json()
    )
    assert client.get("/api/v1/conversations", headers=sibling).json()["items"] == []
    assert client.get(f"/api/v1/conversations/{conv}", headers=sibling).status_code == 404

    legal_hcm = login(client, "phaply.hcm")
    assert work not in {d["id"] for d in client.get("/api/v1/documents", headers=legal_hcm).json()}
    assert client.get(f"/api/v1/documents/{work}", headers=legal_hcm).status_code == 404
    wrong = client.post(f"/api/v1/messages/{world['answer']}/correction", json={"correction": "x"}, headers=legal_hcm)
    assert wrong.status_code == 404

    # Nothing changed behind the 404s.
    officer = login(client, "cb.hn-cg-a")
    detail = client.get(f"/api/v1/cases/{case}", headers=officer).json()
    assert (detail["status"], detail["unit_code"], detail["assignee"]) == ("open", "HN-CG-A", None)
    assert [e["action"] for e in detail["events"]] == ["opened"]


def test_a_provincial_officer_sees_every_unit_below(client: TestClient, world: dict[str, Any]) -> None:
    province = login(client, "cb.hn")
    assert [c["id"] for c in client.get("/api/v1/cases", headers=province).json()["items"]] == [world["case"]]
    assert client.get(f"/api/v1/cases/{world['case']}", headers=province).status_code == 200
    codes = {m["member_code"] for m in client.get("/api/v1/members", headers=province).json()["items"]}
    assert codes == {"DV-A1", "DV-A2", "DV-B1", "DV-C1"}
    assert client.get(f"/api/v1/members/{world['member']}", headers=province).status_code == 200
    assert client.get(f"/api/v1/conversations/{world['conversation']}", headers=province).status_code == 200
    units = [u["code"] for u in client.get("/api/v1/units", headers=province).json()]
    assert set(units) == {"HN", "HN-CG", "HN-CG-A", "HN-CG-B", "HN-DD", "HN-DD-C"}
    other_province = login(client, "cb.hcm")
    assert client.get("/api/v1/cases", headers=other_province).json()["items"] == []
    legal_hn = login(client, "phaply.hn")
    assert world["work"] in {d["id"] for d in client.get("/api/v1/documents", headers=legal_hn).json()}
    assert client.get(f"/api/v1/documents/{world['work']}", headers=legal_hn).json()["scope_unit_code"] == "HN-CG-A"


def test_tokens_and_roles_are_checked(client: TestClient, world: dict[str, Any]) -> None:
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/api/v1/cases", headers={"Authorization": "Bearer forged.token"}).status_code == 401
    bad = client.post("/api/v1/auth/token", json={"username": "cb.hn", "password": "sai-mat-khau"})
    assert bad.status_code == 401 and "không đúng" in bad.json()["detail"]
    curator = login(client, "bientap.tld")
    assert client.get("/api/v1/cases", headers=curator).status_code == 403


def test_legal_staff_correct_an_answer_for_curators(client: TestClient, world: dict[str, Any]) -> None:
    legal = login(client, "phaply.hn")
    created = client.post(
        f"/api/v1/messages/{world['answer']}/correction",
        json={"correction": "Phải trích khoản 2 Điều 97 về lãi chậm trả lương."},
        headers=legal,
    )
    assert created.status_code == 201
    assert (
        client.post(
            f"/api/v1/messages/{world['answer']}/correction",
            json={"correction": "x"},
            headers=login(client, "cb.hn"),
        ).status_code
        == 403
    )
    tasks = client.get("/api/v1/curator-tasks", headers=login(client, "bientap.tld")).json()
    assert [t["correction"] for t in tasks] == ["Phải trích khoản 2 Điều 97 về lãi chậm trả lương."]
    assert tasks[0]["question"].startswith("Công ty nợ lương")
    done = client.post(
        f"/api/v1/curator-tasks/{tasks[0]['id']}/resolve",
        json={"note": "Đã sửa từ điển."},
        headers=login(client, "bientap.tld"),
    )
    assert done.json()["status"] == "done"


def test_opinions_and_analytics(client: TestClient, world: dict[str, Any], platform: Platform) -> None:
    opinion = client.post(
        "/api/v1/opinions",
        json={
            "text": "Mong công đoàn tổ chức khám sức khoẻ định kỳ cho công nhân nữ.",
            "category": "nguyen_vong",
            "consent": True,
            "conversation_id": world["conversation"],
        },
    )
    assert opinion.status_code == 201 and opinion.json()["unit_code"] == "HN-CG-A"
    assert client.post("/api/v1/opinions", json={"text": "x", "consent": False}).status_code == 422
    officer = login(client, "cb.hn-cg-a")
    listed = client.get("/api/v1/cases?kind=opinion", headers=officer).json()["items"]
    assert [o["id"] for o in listed] == [opinion.json()["id"]]
    assert listed[0]["category_label"] == "Nguyện vọng"

    from assistant.db.conversations import Feedback

    with platform.db.session() as s:
        s.add(Feedback(message_id=world["answer"], rating=-1, comment="Chưa rõ ràng"))
    data = client.get("/api/v1/analytics", headers=officer).json()
    assert sum(d["count"] for d in data["questions_per_day"]) == 2  # the question and the opinion
    assert data["satisfaction"]["down"] == 1 and data["satisfaction"]["recent_comments"][0]["comment"] == "Chưa rõ ràng"
    assert data["top_citations"][0]["work_number"] == "45/2019/QH14"
    assert {s["status"]: s["count"] for s in data["cases"]["by_status"]}["open"] == 2
    assert data["questions_per_unit"][0]["unit_code"] == "HN-CG-A"
    sibling = client.get("/api/v1/analytics", headers=login(client, "cb.hn-cg-b")).json()
    assert sum(d["count"] for d in sibling["questions_per_day"]) == 0 and sibling["satisfaction"]["down"] == 0


@pytest.mark.parametrize("db_settings", ["sqlite"], indirect=True)
def test_a_reply_while_the_channel_is_down_arrives_once_when_it_is_back(client: TestClient, platform: Platform) -> None:
    server = FakeChannel()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        platform.deliverers.register("telegram", HttpDeliverer(server.url))
        platform.outbox.base_delay = 0.1
        with platform.db.session() as s:
            conv = conversation(s, channel="telegram", user="tg-555", unit_code="HN-CG-A")
            conv_id = conv.id
        case = client.post("/api/v1/cases", json={"conversation_id": conv_id, "consent": True}).json()
        officer = login(client, "cb.hn-cg-a")
        sent = client.post(
            f"/api/v1/cases/{case['id']}/reply", json={"text": "Công đoàn đã nhận vụ việc."}, headers=officer
        )
        assert sent.status_code == 200

        # The server's worker retries on its own; nudging it just saves waiting for its next tick.
        def nudged(check: Callable[[], bool]) -> Callable[[], bool]:
            return lambda: platform.outbox.notify() or check()

        wait_for(nudged(lambda: server.refused >= 2))
        assert server.accepted == []
        server.down = False
        wait_for(nudged(lambda: len(server.accepted) == 1))
        for _ in range(10):  # more worker rounds: nothing is sent again
            platform.outbox.notify()
            time.sleep(0.05)
        assert [m["text"] for m in server.accepted] == ["Công đoàn đã nhận vụ việc."]
        deliveries = client.get(f"/api/v1/cases/{case['id']}", headers=officer).json()["deliveries"]
        assert deliveries[0]["status"] == "sent" and deliveries[0]["attempts"] >= 3
    finally:
        server.shutdown()
        server.server_close()
