"""Linking a channel identity (Telegram id, Zalo id, web session) to a union member.

Two ways: the member code together with the last four digits of the phone number on record, or a phone
number the channel itself has verified (Telegram's contact button shares the sender's own number). Unlinked
people can still ask and open cases; their cases go to a unit they pick or to the intake unit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.conversations import Conversation
from assistant.db.union import ChannelIdentity, Member, Unit
from assistant.members import by_code, by_phone, normalize_phone

MISMATCH = "Mã đoàn viên hoặc số điện thoại không khớp với danh sách đoàn viên. Vui lòng kiểm tra lại."


class LinkError(ValueError):
    """The link cannot be made; the message can be shown to the person as is."""


def identity_for(session: Session, channel: str, channel_user_id: str) -> ChannelIdentity:
    identity = session.scalar(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.channel_user_id == channel_user_id
        )
    )
    if identity is None:
        identity = ChannelIdentity(channel=channel, channel_user_id=channel_user_id)
        session.add(identity)
        session.flush()
    return identity


def member_for(session: Session, channel: str, channel_user_id: str) -> Member | None:
    return session.scalar(
        select(Member)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.channel_user_id == channel_user_id)
    )


def link_by_member_code(
    session: Session,
    channel: str,
    channel_user_id: str,
    member_code: str,
    phone_suffix: str,
    now: datetime | None = None,
) -> Member:
    member = by_code(session, member_code)
    suffix = "".join(ch for ch in phone_suffix if ch.isdigit())
    if member is None or len(suffix) < 4 or not (member.phone or "").endswith(suffix):
        raise LinkError(MISMATCH)
    return _attach(session, channel, channel_user_id, member, "member_code", now)


def link_by_verified_phone(
    session: Session, channel: str, channel_user_id: str, phone: str, now: datetime | None = None
) -> Member:
    """Only for a number the channel has verified as the sender's own."""
    found = by_phone(session, phone) if normalize_phone(phone) else []
    if len(found) != 1:
        raise LinkError(MISMATCH)
    return _attach(session, channel, channel_user_id, found[0], "phone", now)


def unlink(session: Session, channel: str, channel_user_id: str) -> None:
    identity = identity_for(session, channel, channel_user_id)
    identity.member_id, identity.method, identity.linked_at = None, "", None


def _attach(
    session: Session, channel: str, channel_user_id: str, member: Member, method: str, now: datetime | None
) -> Member:
    identity = identity_for(session, channel, channel_user_id)
    identity.member_id, identity.method, identity.linked_at = member.id, method, now or utcnow()
    unit_code = session.scalar(select(Unit.code).where(Unit.id == member.unit_id))
    # Conversations already held from this identity now belong to the member and their unit.
    session.execute(
        update(Conversation)
        .where(
            Conversation.channel == channel,
            Conversation.channel_user_id == channel_user_id,
            Conversation.member_id.is_(None),
        )
        .values(member_id=member.id, unit_code=unit_code)
    )
    session.flush()
    return member
