"""The officers' portal in headless Chromium: sign in, answer a case, see the dashboard's charts drawn."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assistant.db.conversations import Feedback, Message
from assistant.db.union import Member
from assistant.platform import Platform
from tests.api.conftest import LiveServer
from tests.assistant.union_seed import PASSWORD, conversation, seed_union
from tests.conftest import make_settings


def _seed(platform: Platform) -> str:
    with platform.db.session() as s:
        seed_union(s)
        member = s.scalar(select(Member).where(Member.member_code == "DV-A1"))
        assert member is not None
        conv = conversation(
            s,
            user="web-a1",
            unit_code="HN-CG-A",
            member_id=member.id,
            question="Công ty nợ lương tôi hai tháng, tôi phải làm gì?",
        )
        conversation(
            s,
            user="web-a2",
            unit_code="HN-CG-A",
            question="Nghỉ thai sản được mấy tháng?",
            answer={
                "topic": "bảo hiểm xã hội",
                "escalation": {"suggested": False},
                "citations": [{"work_number": "41/2024/QH15", "article": 53, "document_title": "Luật Bảo hiểm xã hội"}],
            },
        )
        refused = conversation(
            s,
            user="web-a3",
            unit_code="HN-CG-A",
            question="Cách nấu phở bò?",
            answer={"refused": True, "citations": [], "topic": None, "escalation": {}},
        )
        for message, rating in ((conv.messages[-1], 1), (refused.messages[-1], -1)):
            s.add(Feedback(message_id=message.id, rating=rating, comment="Hữu ích" if rating > 0 else ""))
        return conv.id


def test_an_officer_signs_in_answers_a_case_and_sees_the_dashboard(browser: Any, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with LiveServer(settings) as server:
        platform: Platform = server.app.state.platform
        conv_id = _seed(platform)
        import httpx

        opened = httpx.post(f"{server.url}/api/v1/cases", json={"conversation_id": conv_id, "consent": True})
        assert opened.status_code == 201
        case_id = opened.json()["id"]

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server.url}/portal")
        assert page.url.endswith("/portal/login")
        page.fill("input[name=username]", "cb.hn-cg-a")
        page.fill("input[name=password]", "sai mật khẩu")
        page.click("#login-form button[type=submit]")
        assert "không đúng" in page.inner_text("[role=alert]")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url("**/portal/cases")
        row = page.locator(f"tr[data-case-id='{case_id}']")
        assert "Tiền lương" in row.inner_text() and "Mới tiếp nhận" in row.inner_text()

        row.locator("a").first.click()
        page.wait_for_url(f"**/portal/cases/{case_id}")
        assert "Công ty nợ lương tôi hai tháng" in page.inner_text("ol.conversation")
        if os.environ.get("CONGDOAN_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["CONGDOAN_SCREENSHOTS"], "case.png"), full_page=True)
        page.fill("#reply-text", "Chào chị, công đoàn sẽ làm việc với công ty về khoản lương bị nợ.")
        page.click("#reply-form button[type=submit]")
        page.wait_for_url(f"**/portal/cases/{case_id}?done=reply")
        assert "Đã lưu câu trả lời" in page.inner_text(".flash")
        assert page.inner_text("#case-status") == "Đã trả lời"
        assert "Trả lời đoàn viên" in page.inner_text("table.events")
        for _ in range(50):  # the outbox worker delivers within a moment
            if "Đã gửi" in page.inner_text("main"):
                break
            page.wait_for_timeout(200)
            page.reload()
        assert "Đã gửi" in page.inner_text("main")
        officer_reply = page.locator("li.msg.officer .text")
        assert officer_reply.inner_text() == "Chào chị, công đoàn sẽ làm việc với công ty về khoản lương bị nợ."

        page.click("nav a[href='/portal/dashboard']")
        page.wait_for_selector("[data-chart=questions_per_day] svg rect.bar", state="attached")
        bars: list[int] = page.eval_on_selector_all(
            "[data-chart=questions_per_day] svg rect.bar", "els => els.map(e => +e.dataset.value)"
        )
        assert sum(bars) == 3 and len(bars) == 30
        slices = page.eval_on_selector_all(
            "[data-chart=satisfaction] svg path.slice", "els => els.map(e => +e.dataset.value)"
        )
        assert sorted(slices) == [1, 1]
        statuses = page.eval_on_selector_all(
            "[data-chart=cases_by_status] svg rect.bar", "els => els.map(e => +e.dataset.value)"
        )
        assert statuses == [1]  # the one case, now answered
        cited = page.inner_text("[data-chart=top_citations]")
        assert "Bộ luật Lao động" in cited and "Luật Bảo hiểm xã hội" in cited
        assert "Cách nấu phở bò?" in page.inner_text("main")
        if os.environ.get("CONGDOAN_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["CONGDOAN_SCREENSHOTS"], "dashboard.png"), full_page=True)

        with platform.db.session() as s:
            texts = list(
                s.scalars(select(Message.text).where(Message.conversation_id == conv_id, Message.role == "officer"))
            )
        assert texts == ["Chào chị, công đoàn sẽ làm việc với công ty về khoản lương bị nợ."]
        page.close()
