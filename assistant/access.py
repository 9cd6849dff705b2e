"""Who may see what. ``reachable_units`` is the one rule: a staff member reaches their own unit and every unit
below it. Every query for cases, members, conversations, curator tasks and internal documents is narrowed
by the helpers here, all built on that rule, so a record outside reach behaves as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, bindparam, exists, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from assistant.db.cases import Case, CuratorTask
from assistant.db.conversations import Conversation, Message
from assistant.db.documents import Work
from assistant.db.union import Member, StaffUser, Unit, UnitTree

# What each role may do, besides reading within reach.
CAPABILITIES: dict[str, frozenset[str]] = {
    "officer": frozenset({"cases", "members", "conversations", "analytics"}),
    "legal": frozenset({"cases", "conversations", "analytics", "documents", "correct_answers"}),
    "curator": frozenset({"analytics", "documents", "curator_tasks"}),
    "admin": frozenset(
        {"cases", "members", "conversations", "analytics", "documents", "correct_answers", "curator_tasks"}
    ),
}


@dataclass(frozen=True)
class Reach:
    """A signed-in staff member and the subtree of the union they work in."""

    staff_id: int
    username: str
    full_name: str
    role: str
    unit_id: int
    unit_code: str
    unit_name: str
    unit_path: str
    is_root: bool

    def can(self, capability: str) -> bool:
        return capability in CAPABILITIES.get(self.role, frozenset())

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def reach_of(staff: StaffUser) -> Reach:
    unit = staff.unit
    return Reach(
        staff_id=staff.id,
        username=staff.username,
        full_name=staff.full_name,
        role=staff.role,
        unit_id=unit.id,
        unit_code=unit.code,
        unit_name=unit.name,
        unit_path=unit.path,
        is_root=unit.parent_id is None,
    )


def reachable_units(reach: Reach) -> Select[int]:
    """THE rule: ids of the staff member's unit and of every unit below it."""
    # The unit id is inlined, so PostgreSQL plans for this subtree's real size (a handful of cases or all of
    # them) instead of reusing one generic plan for a grassroots union and for the whole country.
    ancestor = bindparam("reach_unit", reach.unit_id, type_=Integer, unique=True, literal_execute=True)
    return select(UnitTree.unit_id).where(UnitTree.ancestor_id == ancestor)


def unit_in_reach(reach: Reach) -> ColumnElement[bool]:
    """A condition on ``Unit`` rows (for queries that select units themselves)."""
    return Unit.id.in_(reachable_units(reach))


def reachable_unit_codes(reach: Reach) -> Select[str]:
    return select(Unit.code).where(Unit.id.in_(reachable_units(reach)))


def cases_in_reach(reach: Reach) -> Select[Case]:
    return select(Case).where(Case.unit_id.in_(reachable_units(reach)))


def members_in_reach(reach: Reach) -> Select[Member]:
    return select(Member).where(Member.unit_id.in_(reachable_units(reach)))


def conversation_visible(reach: Reach) -> ColumnElement[bool]:
    """A conversation belongs to a unit in reach, or is attached to a case in reach. Conversations of people
    nobody has placed yet belong to the whole union: only staff of a root unit see them."""
    by_case = exists().where(Case.conversation_id == Conversation.id, Case.unit_id.in_(reachable_units(reach)))
    by_unit = Conversation.unit_code.in_(reachable_unit_codes(reach))
    if reach.is_root:
        return or_(by_unit, by_case, Conversation.unit_code.is_(None))
    return or_(by_unit, by_case)


def conversations_in_reach(reach: Reach) -> Select[Conversation]:
    return select(Conversation).where(conversation_visible(reach))


def messages_in_reach(reach: Reach) -> Select[Message]:
    return (
        select(Message)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(conversation_visible(reach))
    )


def curator_tasks_in_reach(reach: Reach) -> Select[CuratorTask]:
    return select(CuratorTask).where(CuratorTask.unit_id.in_(reachable_units(reach)))


def _ancestor_codes(session: Session, unit_path: str) -> list[str]:
    ids = [int(part) for part in unit_path.strip("/").split("/") if part]
    return list(session.scalars(select(Unit.code).where(Unit.id.in_(ids)))) if ids else []


def works_in_reach(session: Session, reach: Reach) -> Select[Work]:
    """Public law, internal documents of units in reach, and those of the units above (a province's circular
    applies to every union below it). A sibling's internal documents stay invisible."""
    above = _ancestor_codes(session, reach.unit_path)
    return select(Work).where(
        or_(
            Work.scope_unit_code.is_(None),
            Work.scope_unit_code.in_(reachable_unit_codes(reach)),
            Work.scope_unit_code.in_(above),
        )
    )


def document_scopes_for_member(session: Session, unit_code: str | None) -> list[str]:
    """Scopes whose internal documents a member (or an unplaced asker, with ``None``) may be answered from:
    their own unit and every unit above it."""
    if not unit_code:
        return []
    path = session.scalar(select(Unit.path).where(Unit.code == unit_code))
    return _ancestor_codes(session, path) if path else []


def get_in_reach(session: Session, query: Select[Any], *conditions: ColumnElement[bool]) -> Any:
    """One object from a reach-narrowed query, or None: out of reach and nonexistent look the same."""
    return session.scalars(query.where(*conditions).limit(1)).first()
