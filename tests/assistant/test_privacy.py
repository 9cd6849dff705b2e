from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from assistant import cases
from assistant.cases import OpenRequest
from assistant.config import Settings
from assistant.db.cases import Case, CaseEvent
from assistant.db.conversations import Conversation, Feedback, Message
from assistant.db.engine import Database
from assistant.db.union import ChannelIdentity, Member
from assistant.identity import link_by_member_code
from assistant.privacy import MaskingFilter, export_member, forget_member, mask, purge_expired
from tests.assistant.union_seed import conversation, fresh_database, reach_for, seed_union
from tests.conftest import make_settings

T0 = datetime(2026, 3, 2, 8, 0, 0)


@pytest.mark.parametrize(
    ("raw", "hidden", "kept"),
    [
        ("Gọi tôi số 0912345678 nhé", "0912345678", "*******678"),
        ("sđt +84 912 345 678", "912 345 678", "678"),
        ("email lan.nguyen@congty.com.vn", "lan.nguyen", "[email]"),
        ("CCCD 001203004567 của tôi", "001203004567", "************"),
        ("CMND 123456789", "123456789", "*********"),
    ],
)
def test_mask_hides_phones_ids_and_emails(raw: str, hidden: str, kept: str) -> None:
    masked = mask(raw)
    assert hidden not in masked and kept in masked


def test_mask_leaves_ordinary_numbers_and_ids_alone() -> None:
    text = "Điều 35 khoản 1, 45/2019/QH14, 2026-03-02, case 3f2a9c0d1e2b4a5c6d7e8f9012345678, 30 ngày"
    assert mask(text) == text


def test_the_filter_masks_what_handlers_write(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("congdoan.test.privacy")
    handler = caplog.handler
    handler.addFilter(MaskingFilter())
    try:
        with caplog.at_level(logging.INFO):
            logger.info("Đoàn viên %s gọi từ %s", "Lan", "0912345678")
            try:
                raise ValueError("email sai: lan@example.com")
            except ValueError:
                logger.exception("Lỗi với 0987654321")
    finally:
        handler.removeFilter(handler.filters[-1])
    text = caplog.text
    assert "0912345678" not in text and "*******678" in text
    assert "lan@example.com" not in text and "0987654321" not in text
    assert "Đoàn viên Lan gọi từ" in text


@pytest.fixture
def db(db_settings: Settings) -> Iterator[Database]:
    database = fresh_database(db_settings)
    with database.session() as s:
        seed_union(s)
    yield database
    database.dispose()


def test_retention_purges_old_conversations_but_keeps_open_cases(db: Database, tmp_path: object) -> None:
    settings = make_settings(tmp_path, database_url=db.url, retention_days=90)  # type: ignore[arg-type]
    now = T0 + timedelta(days=200)
    with db.session() as s:
        old = conversation(s, user="old", unit_code="HN-CG-A", at=T0)
        s.add(Feedback(message_id=old.messages[-1].id, rating=1))
        with_open_case = conversation(s, user="open", unit_code="HN-CG-A", at=T0)
        with_done_case = conversation(s, user="done", unit_code="HN-CG-A", at=T0)
        recent = conversation(s, user="recent", unit_code="HN-CG-A", at=now - timedelta(days=10))
        still_active = conversation(s, user="active", unit_code="HN-CG-A", at=T0)
        s.add(
            Message(
                conversation_id=still_active.id,
                role="user",
                text="Còn nữa",
                created_at=now - timedelta(days=1),
            )
        )
        cases.open_case(s, settings, OpenRequest(conversation_id=with_open_case.id, consent=True), T0)
        done, _ = cases.open_case(s, settings, OpenRequest(conversation_id=with_done_case.id, consent=True), T0)
        cases.resolve(s, reach_for(s, "cb.hn-cg-a"), done, "Xong.", now=T0)
        ids = {
            k: c.id
            for k, c in [
                ("old", old),
                ("open", with_open_case),
                ("done", with_done_case),
                ("recent", recent),
                ("active", still_active),
            ]
        }
        done_id = done.id
    with db.session() as s:
        assert purge_expired(s, settings, now) == 2
    with db.session() as s:
        left = set(s.scalars(select(Conversation.id)))
        assert left == {ids["open"], ids["recent"], ids["active"]}
        assert s.scalar(select(func.count()).select_from(Feedback)) == 0
        case = s.get(Case, done_id)
        assert case is not None and case.conversation_id is None and case.contact_phone is None
    with db.session() as s:
        assert purge_expired(s, make_settings(tmp_path, database_url=db.url), now) == 0  # type: ignore[arg-type]


def test_export_and_forget_a_member(db: Database, db_settings: Settings) -> None:
    with db.session() as s:
        member = s.scalar(select(Member).where(Member.member_code == "DV-A1"))
        assert member is not None
        conv = conversation(
            s,
            channel="telegram",
            user="tg-1",
            unit_code="HN-CG-A",
            at=T0,
            question="Tôi là Lan, số 0912345671, bị nợ lương",
        )
        link_by_member_code(s, "telegram", "tg-1", "DV-A1", "5671")
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv.id, consent=True), T0)
        cases.reply(
            s,
            db_settings,
            reach_for(s, "cb.hn-cg-a"),
            case,
            "Chị Lan ơi, công đoàn đã liên hệ công ty.",
            now=T0,
        )
        other = conversation(s, channel="telegram", user="tg-2", unit_code="HN-CG-A", at=T0)
        case_id, other_id = case.id, other.id

    with db.session() as s:
        exported = export_member(s, "DV-A1")
    assert exported is not None
    assert exported["member"]["phone"] == "0912345671"
    assert [c["id"] for c in exported["conversations"]] == [conv.id]
    assert exported["conversations"][0]["messages"][0]["text"].startswith("Tôi là Lan")
    assert exported["cases"][0]["events"][-1]["note"].startswith("Chị Lan ơi")
    assert exported["channel_identities"][0]["channel_user_id"] == "tg-1"

    with db.session() as s:
        summary = forget_member(s, "DV-A1", now=T0 + timedelta(days=1))
    assert summary == {"conversations": 1, "cases_anonymised": 1, "channel_identities": 1}
    with db.session() as s:
        assert s.scalar(select(Member).where(Member.member_code == "DV-A1")) is None
        assert s.get(Conversation, conv.id) is None and s.get(Conversation, other_id) is not None
        assert list(s.scalars(select(ChannelIdentity).where(ChannelIdentity.channel_user_id == "tg-1"))) == []
        case = s.get(Case, case_id)
        assert case is not None and case.status == "closed" and case.member_id is None
        assert case.contact_phone is None and "Lan" not in case.subject
        notes = [e.note for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id))]
        assert not any("Lan" in n or "0912345671" in n for n in notes)
        assert export_member(s, "DV-A1") is None
