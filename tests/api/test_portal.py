"""The portal's sign-in, session cookie and CSRF protection, and its reach rules, without a browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.config import Settings
from assistant.platform import Platform
from tests.assistant.union_seed import PASSWORD, conversation, seed_union
from tests.conftest import make_settings


@pytest.fixture
def client(tmp_path: object) -> Iterator[TestClient]:
    settings: Settings = make_settings(tmp_path)  # type: ignore[arg-type]
    platform = Platform(settings)
    with TestClient(create_app(settings, platform), base_url="http://testserver") as test_client:
        with platform.db.session() as s:
            seed_union(s)
            conv = conversation(s, user="web-a", unit_code="HN-CG-A")
        case = test_client.post("/api/v1/cases", json={"conversation_id": conv.id, "consent": True}).json()
        test_client.case_id = case["id"]  # type: ignore[attr-defined]
        yield test_client
    platform.close()


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def sign_in(client: TestClient, username: str) -> str:
    token = csrf(client.get("/portal/login").text)
    response = client.post(
        "/portal/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return csrf(client.get("/portal/cases").text)


def test_sign_in_sets_a_protected_session_cookie(client: TestClient) -> None:
    login_page = client.get("/portal/login")
    assert login_page.status_code == 200 and "Đăng nhập" in login_page.text
    assert "default-src 'self'" in login_page.headers["content-security-policy"]
    token = csrf(login_page.text)
    response = client.post(
        "/portal/login",
        data={"username": "cb.hn", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    session = next(c for c in cookies if c.startswith("congdoan_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Secure" not in session
    assert client.get("/portal/cases").status_code == 200


def test_cookies_are_secure_over_https(tmp_path: object) -> None:
    settings: Settings = make_settings(tmp_path)  # type: ignore[arg-type]
    with TestClient(create_app(settings), base_url="https://testserver") as https_client:
        response = https_client.get("/portal/login")
        assert "Secure" in response.headers["set-cookie"]


def test_every_form_post_needs_the_csrf_token(client: TestClient) -> None:
    token = csrf(client.get("/portal/login").text)
    refused = client.post("/portal/login", data={"username": "cb.hn", "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 403
    forged = client.post(
        "/portal/login",
        data={"username": "cb.hn", "password": PASSWORD, "csrf_token": "x" + token},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    page_token = sign_in(client, "cb.hn-cg-a")
    case_id = client.case_id  # type: ignore[attr-defined]
    no_token = client.post(f"/portal/cases/{case_id}/reply", data={"text": "Xin chào"}, follow_redirects=False)
    assert no_token.status_code == 403
    # A token from before sign-in no longer works: the nonce changes with the session.
    stale = client.post(
        f"/portal/cases/{case_id}/reply",
        data={"text": "Xin chào", "csrf_token": token},
        follow_redirects=False,
    )
    assert stale.status_code == 403
    ok = client.post(
        f"/portal/cases/{case_id}/reply",
        data={"text": "Xin chào", "csrf_token": page_token},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"].endswith("?done=reply")


def test_wrong_password_and_signed_out_pages(client: TestClient) -> None:
    assert client.get("/portal/cases", follow_redirects=False).headers["location"] == "/portal/login"
    token = csrf(client.get("/portal/login").text)
    wrong = client.post("/portal/login", data={"username": "cb.hn", "password": "sai", "csrf_token": token})
    assert wrong.status_code == 401 and "không đúng" in wrong.text
    page_token = sign_in(client, "cb.hn")
    out = client.post("/portal/logout", data={"csrf_token": page_token}, follow_redirects=False)
    assert out.headers["location"] == "/portal/login"
    assert client.get("/portal/cases", follow_redirects=False).status_code == 303


def test_the_portal_keeps_to_the_same_reach(client: TestClient) -> None:
    case_id = client.case_id  # type: ignore[attr-defined]
    token = sign_in(client, "cb.hn-cg-b")
    assert case_id not in client.get("/portal/cases").text
    assert client.get(f"/portal/cases/{case_id}").status_code == 404
    reply = client.post(f"/portal/cases/{case_id}/reply", data={"text": "x", "csrf_token": token})
    assert reply.status_code == 404
    token = sign_in(client, "cb.hn")
    page = client.get(f"/portal/cases/{case_id}")
    assert page.status_code == 200 and "Công ty nợ lương tôi ba tháng" in page.text
    escalated = client.post(f"/portal/cases/{case_id}/escalate", data={"csrf_token": token}, follow_redirects=False)
    assert escalated.status_code == 303 and "/portal/cases/" in escalated.headers["location"]
    curator = sign_in(client, "bientap.tld")
    assert curator and client.get("/portal/cases").status_code == 403
    assert client.get("/portal/tasks").status_code == 200


def test_data_is_escaped_in_pages(client: TestClient, tmp_path: object) -> None:
    platform: Platform = client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.session() as s:
        conv = conversation(s, user="evil", unit_code="HN-CG-A", question="<script>alert(1)</script> nợ lương")
    case = client.post("/api/v1/cases", json={"conversation_id": conv.id, "consent": True}).json()
    sign_in(client, "cb.hn-cg-a")
    page = client.get(f"/portal/cases/{case['id']}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_legal_staff_correct_answers_and_curators_see_documents_and_tasks(client: TestClient) -> None:
    from assistant.db.conversations import Message
    from assistant.db.documents import Work

    platform: Platform = client.app.state.platform  # type: ignore[attr-defined]
    case_id = client.case_id  # type: ignore[attr-defined]
    with platform.db.session() as s:
        s.add_all(
            [
                Work(number="01/QC-A", title="Quy chế nội bộ Công ty May A", scope_unit_code="HN-CG-A"),
                Work(number="02/QC-D", title="Quy chế nội bộ Công ty D", scope_unit_code="HCM-Q1-D"),
                Work(number="45/2019/QH14", title="Bộ luật Lao động"),
            ]
        )
        answer = s.query(Message).filter(Message.role == "assistant").first()
        assert answer is not None
        answer_id = answer.id
    token = sign_in(client, "phaply.hn")
    page = client.get(f"/portal/cases/{case_id}").text
    assert "Đánh dấu câu trả lời sai" in page
    done = client.post(
        f"/portal/messages/{answer_id}/correction",
        data={"correction": "Cần dẫn khoản 4 Điều 97.", "case_id": case_id, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=correction")
    documents = client.get("/portal/documents").text
    assert "01/QC-A" in documents and "45/2019/QH14" in documents and "02/QC-D" not in documents

    token = sign_in(client, "bientap.tld")
    tasks = client.get("/portal/tasks").text
    assert "Cần dẫn khoản 4 Điều 97." in tasks and "Công ty nợ lương tôi ba tháng" in tasks
    task_id = re.search(r"/portal/tasks/(\d+)/resolve", tasks).group(1)  # type: ignore[union-attr]
    client.post(f"/portal/tasks/{task_id}/resolve", data={"note": "Đã sửa", "csrf_token": token})
    assert "Cần dẫn khoản 4 Điều 97." not in client.get("/portal/tasks").text
    assert "02/QC-D" in client.get("/portal/documents").text  # the top of the tree sees every unit's documents
