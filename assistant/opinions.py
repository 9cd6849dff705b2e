"""Member opinions (ý kiến, tâm tư, nguyện vọng): not legal questions, but routed, worked and answered
like cases, as cases of kind ``opinion``. Each opinion gets its own conversation, so the officer's reply
reaches the member on the channel they wrote from and the opinion never merges with a legal case."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from assistant.cases import OPINION_CATEGORIES, CaseError, OpenRequest, open_case
from assistant.config import Settings
from assistant.db.base import utcnow
from assistant.db.cases import Case
from assistant.db.conversations import Conversation, Message
from assistant.identity import member_for


@dataclass(frozen=True)
class OpinionRequest:
    text: str
    consent: bool
    category: str = "y_kien"
    channel: str = "web"
    channel_user_id: str = ""
    from_conversation_id: str | None = None
    unit_code: str | None = None
    contact_phone: str | None = None


def submit_opinion(session: Session, settings: Settings, request: OpinionRequest, now: datetime | None = None) -> Case:
    now = now or utcnow()
    text = request.text.strip()
    if not text:
        raise CaseError("Vui lòng nhập nội dung ý kiến.", "invalid")
    if len(text) > settings.max_message_chars:
        raise CaseError(f"Nội dung dài quá {settings.max_message_chars} ký tự; vui lòng rút gọn.", "invalid")
    if request.category not in OPINION_CATEGORIES:
        raise CaseError("Loại ý kiến không hợp lệ.", "invalid")
    if request.consent is not True:
        raise CaseError("Cần sự đồng ý của bạn để gửi ý kiến tới cán bộ công đoàn.", "invalid")
    channel, user_id, unit_code, member_id = request.channel, request.channel_user_id, None, None
    if request.from_conversation_id:
        origin = session.get(Conversation, request.from_conversation_id)
        if origin is None:
            raise CaseError("Không tìm thấy cuộc hội thoại.", "not_found")
        channel, user_id = origin.channel, origin.channel_user_id
        unit_code, member_id = origin.unit_code, origin.member_id
    member = member_for(session, channel, user_id) if user_id else None
    conversation = Conversation(
        channel=channel,
        channel_user_id=user_id,
        external_id=f"opinion-{uuid.uuid4().hex}",
        member_id=member.id if member else member_id,
        unit_code=unit_code,
        created_at=now,
        updated_at=now,
    )
    session.add(conversation)
    session.flush()
    session.add(Message(conversation_id=conversation.id, role="user", text=text, created_at=now))
    session.flush()
    case, _ = open_case(
        session,
        settings,
        OpenRequest(
            conversation_id=conversation.id,
            consent=True,
            category=request.category,
            unit_code=request.unit_code,
            contact_phone=request.contact_phone,
            kind="opinion",
            description=text,
        ),
        now,
    )
    return case
