from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from assistant import cases
from assistant.cases import CaseError, CaseFilter, OpenRequest
from assistant.config import Settings
from assistant.db.cases import Case, CaseEvent
from assistant.db.engine import Database
from assistant.db.union import Member, Unit
from assistant.identity import link_by_member_code
from tests.assistant.union_seed import conversation, fresh_database, reach_for, seed_union

T0 = datetime(2026, 3, 2, 8, 0, 0)


@pytest.fixture
def db(db_settings: Settings) -> Iterator[Database]:
    database = fresh_database(db_settings)
    with database.session() as s:
        seed_union(s)
    yield database
    database.dispose()


def _member_conversation(db: Database, code: str = "DV-A1", at: datetime = T0) -> str:
    with db.session() as s:
        member = s.scalar(select(Member).where(Member.member_code == code))
        assert member is not None
        unit = s.get(Unit, member.unit_id)
        assert unit is not None
        return conversation(
            s, user=f"tg-{code}", channel="telegram", unit_code=unit.code, member_id=member.id, at=at
        ).id


def test_open_needs_consent_and_gives_one_case_per_conversation(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s, pytest.raises(CaseError) as refused:
        cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=False), T0)
    assert "đồng ý" in str(refused.value)
    with db.session() as s:
        first, created = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        unit = s.get(Unit, first.unit_id)
        assert created and unit is not None and unit.code == "HN-CG-A"
        # Triage said "tien_luong": a wage case is high priority, due in 72 hours by default.
        assert (first.category, first.priority) == ("tien_luong", "high")
        assert first.due_at == T0 + timedelta(hours=72)
        assert first.contact_phone == "0912345671"
    with db.session() as s:
        again, created_again = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True))
        assert not created_again and again.id == first.id
        assert s.scalar(select(Case.id).where(Case.conversation_id == conv_id)) == first.id
        assert len(list(s.scalars(select(Case)))) == 1


def test_unlinked_people_pick_a_unit_or_reach_the_intake_unit(db: Database, tmp_path: object) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, database_url=db.url, cases={"intake_unit_code": "HN"})  # type: ignore[arg-type]
    with db.session() as s:
        picked = conversation(s, user="anon-1")
        intake = conversation(s, user="anon-2")
        case_picked, _ = cases.open_case(
            s, settings, OpenRequest(conversation_id=picked.id, consent=True, unit_code="HCM-Q1-D"), T0
        )
        case_intake, _ = cases.open_case(s, settings, OpenRequest(conversation_id=intake.id, consent=True), T0)
        assert s.get(Unit, case_picked.unit_id).code == "HCM-Q1-D"  # type: ignore[union-attr]
        assert s.get(Unit, case_intake.unit_id).code == "HN"  # type: ignore[union-attr]
        with pytest.raises(CaseError):
            other = conversation(s, user="anon-3")
            cases.open_case(s, settings, OpenRequest(conversation_id=other.id, consent=True, unit_code="NOPE"))


def test_a_linked_identity_routes_to_the_members_own_unit(db: Database, db_settings: Settings) -> None:
    with db.session() as s:
        conv = conversation(s, channel="zalo", user="zalo-77")
        link_by_member_code(s, "zalo", "zalo-77", "DV-D1", "5675")
        case, _ = cases.open_case(
            s, db_settings, OpenRequest(conversation_id=conv.id, consent=True, unit_code="HN-CG-A"), T0
        )
        assert s.get(Unit, case.unit_id).code == "HCM-Q1-D"  # type: ignore[union-attr]


def test_lifecycle_records_every_change(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s:
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        reach = reach_for(s, "cb.hn-cg-a")
        cases.assign(s, reach, case, now=T0 + timedelta(hours=1))
        assert case.status == "assigned"
        cases.reply(
            s,
            db_settings,
            reach,
            case,
            "Chị cho biết hợp đồng ký ngày nào?",
            wait_for_member=True,
            now=T0 + timedelta(hours=2),
        )
        assert case.status == "waiting_member"
        cases.member_followup(s, db_settings, conv_id, now=T0 + timedelta(hours=3))
        assert case.status == "assigned"
        cases.reply(
            s,
            db_settings,
            reach,
            case,
            "Công ty phải trả đủ lương và tiền lãi chậm trả.",
            now=T0 + timedelta(hours=4),
        )
        assert case.status == "answered"
        cases.resolve(s, reach, case, "Công ty đã trả đủ lương.", now=T0 + timedelta(hours=5))
        with pytest.raises(CaseError):
            cases.reply(s, db_settings, reach, case, "thêm")
        case_id = case.id
    with db.session() as s:
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))
        trail = [(e.action, e.actor_kind, e.from_status, e.to_status) for e in events]
        assert trail == [
            ("opened", "member", None, "open"),
            ("assigned", "staff", "open", "assigned"),
            ("replied", "staff", "assigned", "waiting_member"),
            ("member_replied", "member", "waiting_member", "assigned"),
            ("replied", "staff", "assigned", "answered"),
            ("resolved", "staff", "answered", "resolved"),
        ]
        assert events[1].actor_name == "Cán bộ HN-CG-A" and events[1].at == T0 + timedelta(hours=1)
        assert events[-1].note == "Công ty đã trả đủ lương."


def test_reopening_a_finished_case_reopens_it(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s:
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        cases.resolve(s, reach_for(s, "cb.hn-cg-a"), case, "Đã giải quyết.", now=T0)
        again, created = cases.open_case(
            s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0 + timedelta(days=1)
        )
        assert not created and again.id == case.id and again.status == "open"
        assert again.due_at == T0 + timedelta(days=1, hours=72)


def test_assign_only_to_staff_who_can_see_the_case(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s:
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        reach = reach_for(s, "cb.hn-cg")
        cases.assign(s, reach, case, "cb.hn-cg-a")
        with pytest.raises(CaseError):
            cases.assign(s, reach, case, "cb.hn-cg-b")  # a sibling unit cannot see it
        with pytest.raises(CaseError):
            cases.assign(s, reach, case, "nobody")


def _trail(db: Database, case_id: str) -> list[tuple[str | None, str | None]]:
    with db.session() as s:
        return [
            (e.from_unit_code, e.to_unit_code)
            for e in s.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case_id, CaseEvent.action == "escalated")
                .order_by(CaseEvent.id)
            )
        ]


def test_an_overdue_case_climbs_one_level_per_missed_deadline(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s:
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        case_id = case.id
    step = timedelta(hours=db_settings.cases.deadline_hours_high)
    assert cases.sweep(db, db_settings, T0 + step - timedelta(minutes=1)) == []
    path = []
    for missed in range(1, 5):
        moves = cases.sweep(db, db_settings, T0 + missed * step + timedelta(minutes=5))
        path.extend((m.from_unit, m.to_unit) for m in moves)
    assert path == [("HN-CG-A", "HN-CG"), ("HN-CG", "HN"), ("HN", "TLD")]
    assert _trail(db, case_id) == path
    with db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.escalation_level == 3 and case.status == "open"
        reasons = [e.note for e in case.events if e.action == "escalated"]
        assert all("Quá hạn xử lý" in r for r in reasons)
        assert "Công đoàn cơ sở Công ty May A" in reasons[0]
        assert [e.actor_kind for e in case.events if e.action == "escalated"] == ["system"] * 3
        # At the top there is nowhere higher to go: it stays, visibly overdue.
        assert cases.is_overdue(case, T0 + 5 * step)


def test_a_late_sweep_climbs_once_per_deadline_missed(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s:
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        case_id = case.id
    step = timedelta(hours=db_settings.cases.deadline_hours_high)
    moves = cases.sweep(db, db_settings, T0 + 2 * step + timedelta(hours=1))
    assert [(m.from_unit, m.to_unit) for m in moves] == [("HN-CG-A", "HN-CG"), ("HN-CG", "HN")]
    with db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.due_at == T0 + 3 * step


def test_the_clock_stops_while_waiting_for_the_member(db: Database, db_settings: Settings) -> None:
    conv_id = _member_conversation(db)
    with db.session() as s:
        case, _ = cases.open_case(s, db_settings, OpenRequest(conversation_id=conv_id, consent=True), T0)
        cases.reply(
            s,
            db_settings,
            reach_for(s, "cb.hn-cg-a"),
            case,
            "Chị gửi giúp bảng lương.",
            wait_for_member=True,
            now=T0,
        )
    assert cases.sweep(db, db_settings, T0 + timedelta(days=30)) == []


def test_the_queue_is_sorted_by_deadline_filtered_and_paged(db: Database, db_settings: Settings) -> None:
    with db.session() as s:
        ids = []
        for index, (unit, category) in enumerate(
            [("HN-CG-A", "quay_roi"), ("HN-CG-B", "khac"), ("HN-DD-C", "tien_luong"), ("HCM-Q1-D", "khac")]
        ):
            conv = conversation(s, user=f"u{index}")
            case, _ = cases.open_case(
                s,
                db_settings,
                OpenRequest(conversation_id=conv.id, consent=True, unit_code=unit, category=category),
                T0,
            )
            ids.append(case.id)
        hn = reach_for(s, "cb.hn")
        page = cases.list_cases(s, hn, CaseFilter(), now=T0)
        # Urgent (24 h) before high (72 h) before normal (168 h); HCM is not in Hà Nội's reach.
        assert [c.id for c in page.items] == [ids[0], ids[2], ids[1]]
        assert [c.id for c in cases.list_cases(s, hn, CaseFilter(unit_code="HN-CG"), now=T0).items] == [
            ids[0],
            ids[1],
        ]
        assert [c.id for c in cases.list_cases(s, hn, CaseFilter(category="tien_luong"), now=T0).items] == [ids[2]]
        overdue = cases.list_cases(s, hn, CaseFilter(overdue=True), now=T0 + timedelta(hours=30))
        assert [c.id for c in overdue.items] == [ids[0]]
        first = cases.list_cases(s, hn, CaseFilter(), page=1, page_size=2, now=T0)
        second = cases.list_cases(s, hn, CaseFilter(), page=2, page_size=2, now=T0)
        assert first.has_more and not second.has_more
        assert [c.id for c in first.items + second.items] == [ids[0], ids[2], ids[1]]
        # A unit filter outside reach finds nothing rather than the other province's cases.
        assert cases.list_cases(s, hn, CaseFilter(unit_code="HCM"), now=T0).items == []


def test_opinions_are_routed_and_answered_like_cases(db: Database, db_settings: Settings) -> None:
    from assistant.opinions import OpinionRequest, submit_opinion

    conv_id = _member_conversation(db, "DV-B1")
    with db.session() as s:
        opinion = submit_opinion(
            s,
            db_settings,
            OpinionRequest(
                text="Đề nghị công đoàn tổ chức thêm bữa ăn giữa ca cho ca đêm.",
                consent=True,
                category="nguyen_vong",
                from_conversation_id=conv_id,
            ),
            T0,
        )
        assert opinion.kind == "opinion" and opinion.category == "nguyen_vong" and opinion.priority == "normal"
        assert s.get(Unit, opinion.unit_id).code == "HN-CG-B"  # type: ignore[union-attr]
        assert opinion.conversation_id != conv_id and opinion.channel == "telegram"
        reach = reach_for(s, "cb.hn-cg-b")
        listed = cases.list_cases(s, reach, CaseFilter(kind="opinion"), now=T0)
        assert [c.id for c in listed.items] == [opinion.id]
        item = cases.reply(s, db_settings, reach, opinion, "Công đoàn sẽ kiến nghị với công ty.", now=T0)
        assert item.channel == "telegram" and item.recipient == "tg-DV-B1"
        with pytest.raises(CaseError):
            submit_opinion(s, db_settings, OpinionRequest(text="x", consent=True, category="tien_luong"))
