"""The widget end to end in headless Chromium: ask, see a cited answer, open a citation, rate it, and find
the rating in the database; the officer button asks for consent first."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assistant.db.cases import Case
from assistant.db.conversations import Feedback
from assistant.platform import Platform
from tests.api.conftest import LiveServer
from tests.api.test_chat import NOTICE, corpus_platform
from tests.api.test_chat import module_server as module_server  # the shared live server fixture
from tests.assistant.union_seed import seed_union
from tests.conftest import make_settings


def open_widget(page: Any, url: str) -> None:
    page.goto(url + "/")
    bubble = page.get_by_role("button", name="Mở trợ lý pháp lý Công đoàn")
    bubble.click()
    page.get_by_role("textbox", name="Câu hỏi của bạn").wait_for()


def test_question_citation_and_feedback(browser: Any, module_server: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740})  # a phone
    open_widget(page, module_server.url)
    box = page.get_by_role("textbox", name="Câu hỏi của bạn")
    assert box.evaluate("el => el === el.getRootNode().activeElement")  # focus moved into the panel
    box.fill(NOTICE)
    box.press("Enter")
    citation = page.locator("details.cd-citation summary").first
    citation.wait_for(timeout=20000)
    assert "Điều 35" in citation.inner_text()
    answer = page.locator(".cd-assistant .cd-text").last.inner_text()
    assert "Điều 35" in answer and "45 ngày" in answer
    quote = page.locator("details.cd-citation blockquote").first
    assert not quote.is_visible()
    citation.click()
    assert quote.is_visible() and "Ít nhất 45 ngày" in quote.inner_text()
    panel_width = page.locator(".cd-panel").evaluate("el => el.getBoundingClientRect().width")
    assert panel_width <= 375

    page.get_by_role("button", name="Câu trả lời hữu ích").click()
    comment = page.get_by_role("textbox", name="Góp ý thêm (không bắt buộc)")
    comment.fill("Rất rõ ràng")
    page.get_by_role("button", name="Gửi góp ý").click()
    page.get_by_role("status").wait_for()

    platform: Platform = module_server.app.state.platform
    with platform.db.session() as session:
        stored = session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
        assert stored is not None and (stored.rating, stored.comment) == (1, "Rất rõ ràng")

    page.get_by_role("button", name="Gặp cán bộ công đoàn").click()
    page.get_by_role("alertdialog").wait_for()
    page.get_by_role("button", name="Đồng ý chuyển").click()
    page.locator(".cd-assistant .cd-text").filter(has_text="cán bộ công đoàn").last.wait_for()

    page.keyboard.press("Escape")
    assert page.locator(".cd-panel").is_hidden()
    assert page.get_by_role("button", name="Mở trợ lý pháp lý Công đoàn").evaluate(
        "el => el === el.getRootNode().activeElement"
    )
    page.close()


def test_the_widget_on_another_site_opens_a_case(browser: Any, tmp_path: Path) -> None:
    """The real deployment: a union website on its own origin embeds widget.js from the platform. Chat and
    "Gặp cán bộ công đoàn" are cross-origin calls, and the case must really be opened."""
    settings = make_settings(tmp_path / "platform", cases={"intake_unit_code": "HN-CG-A"})
    platform = corpus_platform(settings)
    with platform.db.session() as session:
        seed_union(session)
    site = tmp_path / "site"
    site.mkdir()
    with LiveServer(settings, platform=platform) as live:
        page_html = (
            '<!doctype html><html lang="vi"><body><h1>Công đoàn cơ sở</h1>'
            f'<script src="{live.url}/widget.js"></script></body></html>'
        )
        (site / "index.html").write_text(page_html, encoding="utf-8")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
        website = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=website.serve_forever, daemon=True).start()
        try:
            page = browser.new_page()
            open_widget(page, f"http://127.0.0.1:{website.server_address[1]}")
            box = page.get_by_role("textbox", name="Câu hỏi của bạn")
            box.fill(NOTICE)
            box.press("Enter")
            page.locator("details.cd-citation summary").first.wait_for(timeout=20000)
            page.get_by_role("button", name="Gặp cán bộ công đoàn").click()
            page.get_by_role("button", name="Đồng ý chuyển").click()
            page.locator(".cd-assistant .cd-text").filter(has_text="Mã hồ sơ").last.wait_for(timeout=20000)
            page.close()
        finally:
            website.shutdown()
    with platform.db.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.conversation_id is not None
