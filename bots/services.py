"""The dialogue's ports, wired to the real components: conversations and the answer chain, identity linking
and the cases work. Each call is one unit of work on the central database."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.conversations import Conversation, Message
from assistant.db.engine import Database
from assistant.db.union import Member, Unit
from assistant.legal import Answer
from bots.dialogue import CaseRefused, CaseTicket, LinkRefused, MemberInfo, Who, format_due

if TYPE_CHECKING:
    from assistant.answering.service import ChatService


def _find_conversation(session: Session, who: Who) -> Conversation | None:
    return session.scalar(
        select(Conversation).where(
            Conversation.channel == who.channel,
            Conversation.channel_user_id == who.user_id,
            Conversation.external_id == who.chat_id,
        )
    )


def _conversation(session: Session, who: Who) -> Conversation:
    found = _find_conversation(session, who)
    if found is None:
        found = Conversation(channel=who.channel, channel_user_id=who.user_id, external_id=who.chat_id)
        session.add(found)
        session.flush()
    return found


class AssistantService:
    """Conversations stored centrally; every question goes through the chat service (the answer chain)."""

    def __init__(self, db: Database, chat: Callable[[], ChatService]) -> None:
        self.db = db
        self.chat = chat

    def _scopes(self, session: Session, who: Who) -> list[str]:
        """Internal documents of a verified member's own unit and the units above; public law otherwise."""
        from assistant.access import document_scopes_for_member
        from assistant.identity import member_for

        member = member_for(session, who.channel, who.user_id)
        if member is None:
            return []
        unit_code = session.scalar(select(Unit.code).where(Unit.id == member.unit_id))
        return document_scopes_for_member(session, unit_code)

    def ask(self, who: Who, question: str) -> Answer:
        from assistant.answering.service import ChatInput

        with self.db.session() as session:
            conversation_id = _conversation(session, who).id
            scopes = self._scopes(session, who)
        chat = ChatInput(message=question, conversation_id=conversation_id, channel=who.channel, scopes=scopes)
        return self.chat().ask(chat).answer

    def note(self, who: Who, text: str) -> str:
        with self.db.session() as session:
            conversation = _conversation(session, who)
            session.add(Message(conversation_id=conversation.id, role="user", text=text))
            return conversation.id

    def conversation_id(self, who: Who) -> str | None:
        with self.db.session() as session:
            found = _find_conversation(session, who)
            return found.id if found else None

    def has_question(self, who: Who) -> bool:
        with self.db.session() as session:
            found = _find_conversation(session, who)
            if found is None:
                return False
            first = session.scalar(
                select(Message.id).where(Message.conversation_id == found.id, Message.role == "user").limit(1)
            )
            return first is not None

    def last_answer_id(self, who: Who) -> str | None:
        with self.db.session() as session:
            found = _find_conversation(session, who)
            if found is None:
                return None
            return session.scalar(
                select(Message.id)
                .where(Message.conversation_id == found.id, Message.role == "assistant")
                .order_by(Message.created_at.desc())
                .limit(1)
            )

    def rate(self, who: Who, message_id: str, rating: int) -> bool:
        """Only the person who received the answer may rate it; rating again replaces the rating."""
        from assistant.feedback import UnknownMessage, record_feedback

        with self.db.session() as session:
            owner = session.execute(
                select(Conversation.channel, Conversation.channel_user_id)
                .join(Message, Message.conversation_id == Conversation.id)
                .where(Message.id == message_id)
            ).first()
        if owner is None or tuple(owner) != (who.channel, who.user_id):
            return False
        try:
            record_feedback(self.db, message_id, rating)
        except UnknownMessage:
            return False
        return True


class UnionService:
    """Identity linking and cases, through the union's own modules."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def _info(self, session: Session, member: Member) -> MemberInfo:
        unit = session.get(Unit, member.unit_id)
        return MemberInfo(member.full_name, unit.name if unit else "")

    def member(self, who: Who) -> MemberInfo | None:
        from assistant.identity import member_for

        with self.db.session() as session:
            member = member_for(session, who.channel, who.user_id)
            return self._info(session, member) if member else None

    def link_by_phone(self, who: Who, phone: str) -> MemberInfo:
        from assistant.identity import LinkError, link_by_verified_phone

        try:
            with self.db.session() as session:
                return self._info(session, link_by_verified_phone(session, who.channel, who.user_id, phone))
        except LinkError as exc:
            raise LinkRefused(str(exc)) from exc

    def link_by_code(self, who: Who, member_code: str, phone_suffix: str) -> MemberInfo:
        from assistant.identity import LinkError, link_by_member_code

        try:
            with self.db.session() as session:
                member = link_by_member_code(session, who.channel, who.user_id, member_code, phone_suffix)
                return self._info(session, member)
        except LinkError as exc:
            raise LinkRefused(str(exc)) from exc

    def target_unit(self, who: Who) -> str:
        """The unit a case from this person would reach, when it is already known."""
        from assistant.cases import CaseError, route_unit
        from assistant.identity import member_for

        with self.db.session() as session:
            # Not added to the session: only its unit code is read, for someone who has not written yet.
            conversation = _find_conversation(session, who) or Conversation(
                channel=who.channel, channel_user_id=who.user_id, external_id=who.chat_id
            )
            member = member_for(session, who.channel, who.user_id)
            try:
                return route_unit(session, self.settings, member, None, conversation).name
            except CaseError:
                return ""

    def _ticket(self, session: Session, case_id: str, created: bool) -> CaseTicket:
        from assistant.cases import STATUS_LABELS
        from assistant.db.cases import Case

        case = session.get(Case, case_id)
        assert case is not None
        unit = session.get(Unit, case.unit_id)
        return CaseTicket(
            id=case.id,
            unit_name=unit.name if unit else "",
            status=case.status,
            status_label=STATUS_LABELS.get(case.status, case.status),
            due=format_due(case.due_at),
            created=created,
        )

    def current_case(self, conversation_id: str) -> CaseTicket | None:
        from assistant.cases import UNFINISHED
        from assistant.db.cases import Case

        with self.db.session() as session:
            case_id = session.scalar(
                select(Case.id).where(Case.conversation_id == conversation_id, Case.status.in_(UNFINISHED))
            )
            return self._ticket(session, case_id, False) if case_id else None

    def open_case(self, conversation_id: str, contact_phone: str | None) -> CaseTicket:
        from assistant.cases import CaseError, OpenRequest, open_case

        try:
            with self.db.session() as session:
                request = OpenRequest(conversation_id=conversation_id, consent=True, contact_phone=contact_phone)
                case, created = open_case(session, self.settings, request)
                return self._ticket(session, case.id, created)
        except CaseError as exc:
            raise CaseRefused(str(exc)) from exc

    def member_wrote(self, conversation_id: str) -> None:
        from assistant.cases import member_followup

        with self.db.session() as session:
            member_followup(session, self.settings, conversation_id)
