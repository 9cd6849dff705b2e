from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import access
from assistant.config import Settings
from assistant.db.documents import Work
from assistant.db.union import Unit
from tests.assistant.union_seed import conversation, fresh_database, reach_for, seed_union


@pytest.fixture
def session(db_settings: Settings) -> Iterator[Session]:
    db = fresh_database(db_settings)
    with db.session() as s:
        seed_union(s)
        yield s
    db.dispose()


def _codes(session: Session, username: str) -> set[str]:
    reach = reach_for(session, username)
    return set(session.scalars(select(Unit.code).where(access.unit_in_reach(reach))))


def test_reach_is_own_unit_and_every_unit_below(session: Session) -> None:
    assert _codes(session, "cb.hn-cg-a") == {"HN-CG-A"}
    assert _codes(session, "cb.hn-cg") == {"HN-CG", "HN-CG-A", "HN-CG-B"}
    assert _codes(session, "cb.hn") == {"HN", "HN-CG", "HN-CG-A", "HN-CG-B", "HN-DD", "HN-DD-C"}
    assert _codes(session, "cb.tld") == {code for code in session.scalars(select(Unit.code))}


def test_members_in_reach_exclude_siblings(session: Session) -> None:
    from assistant.db.union import Member

    reach = reach_for(session, "cb.hn-cg-a")
    codes = set(session.scalars(access.members_in_reach(reach).with_only_columns(Member.member_code)))
    assert codes == {"DV-A1", "DV-A2"}


def test_conversations_unplaced_only_for_the_root(session: Session) -> None:
    placed = conversation(session, unit_code="HN-CG-B", user="b")
    unplaced = conversation(session, unit_code=None, user="anon")
    visible = {
        name: {c.id for c in session.scalars(access.conversations_in_reach(reach_for(session, name)))}
        for name in ("cb.hn-cg-a", "cb.hn-cg", "cb.tld")
    }
    assert visible["cb.hn-cg-a"] == set()
    assert visible["cb.hn-cg"] == {placed.id}
    assert visible["cb.tld"] == {placed.id, unplaced.id}


def test_internal_documents_of_a_sibling_are_invisible(session: Session) -> None:
    session.add_all(
        [
            Work(number="01/QC-A", title="Quy chế chi tiêu nội bộ A", scope_unit_code="HN-CG-A"),
            Work(number="02/QC-B", title="Quy chế chi tiêu nội bộ B", scope_unit_code="HN-CG-B"),
            Work(number="03/HD-HN", title="Hướng dẫn của LĐLĐ Hà Nội", scope_unit_code="HN"),
            Work(number="45/2019/QH14", title="Bộ luật Lao động"),
        ]
    )
    session.flush()

    def numbers(username: str) -> set[str]:
        query = access.works_in_reach(session, reach_for(session, username))
        return set(session.scalars(query.with_only_columns(Work.number)))

    assert numbers("cb.hn-cg-a") == {"01/QC-A", "03/HD-HN", "45/2019/QH14"}
    assert numbers("cb.hcm") == {"45/2019/QH14"}
    assert numbers("cb.hn") == {"01/QC-A", "02/QC-B", "03/HD-HN", "45/2019/QH14"}
    assert set(access.document_scopes_for_member(session, "HN-CG-A")) == {"TLD", "HN", "HN-CG", "HN-CG-A"}
    assert access.document_scopes_for_member(session, None) == []


def test_roles_have_their_capabilities(session: Session) -> None:
    assert reach_for(session, "cb.hn").can("cases")
    assert not reach_for(session, "cb.hn").can("correct_answers")
    assert reach_for(session, "phaply.hn").can("correct_answers")
    assert not reach_for(session, "bientap.tld").can("cases")
    assert reach_for(session, "bientap.tld").can("curator_tasks")
