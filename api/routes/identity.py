"""``POST /api/v1/identity/link``: a web visitor links their conversation's identity to their membership."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from api.routes.auth import TxDep
from api.throttle import guard_link
from assistant.db.conversations import Conversation
from assistant.db.union import Unit
from assistant.identity import LinkError, link_by_member_code

router = APIRouter(prefix="/api/v1/identity", tags=["identity"])


class LinkBody(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=64)
    member_code: str = Field(min_length=1, max_length=64)
    phone_suffix: str = Field(min_length=4, max_length=16, description="4 số cuối số điện thoại đã đăng ký")


@router.post("/link")
def link(body: LinkBody, request: Request, session: TxDep) -> dict[str, Any]:
    guard_link(request, body.member_code)
    conversation = session.get(Conversation, body.conversation_id)
    if conversation is None:
        raise HTTPException(404, "Không tìm thấy cuộc hội thoại.")
    try:
        member = link_by_member_code(
            session,
            conversation.channel,
            conversation.channel_user_id or f"conversation:{conversation.id}",
            body.member_code,
            body.phone_suffix,
        )
    except LinkError as exc:
        raise HTTPException(422, str(exc)) from exc
    conversation.member_id = member.id
    unit = session.get(Unit, member.unit_id)
    conversation.unit_code = unit.code if unit else conversation.unit_code
    return {
        "linked": True,
        "unit_code": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
    }
