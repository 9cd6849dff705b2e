"""Member opinions (ý kiến, tâm tư, nguyện vọng) over HTTP. Officers work them in the case queue
(``GET /api/v1/cases?kind=opinion``) with the same reply, assign and resolve."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from api.deps import get_platform
from api.routes.auth import TxDep
from api.routes.cases import iso, raise_for
from assistant.cases import OPINION_CATEGORIES, STATUS_LABELS, CaseError
from assistant.db.union import Unit
from assistant.opinions import OpinionRequest, submit_opinion

router = APIRouter(prefix="/api/v1/opinions", tags=["opinions"])


class OpinionBody(BaseModel):
    text: str = Field(min_length=1)
    consent: bool = False
    category: str = Field(default="y_kien", description=", ".join(OPINION_CATEGORIES))
    conversation_id: str | None = Field(default=None, max_length=64)
    unit_code: str | None = Field(default=None, max_length=64)
    contact_phone: str | None = Field(default=None, max_length=32)


@router.get("/categories")
def categories() -> dict[str, str]:
    return OPINION_CATEGORIES


@router.post("", status_code=201)
def send_opinion(body: OpinionBody, request: Request, session: TxDep) -> dict[str, Any]:
    """Returns the opinion's own conversation id: the widget follows the officers' reply there."""
    settings = get_platform(request).settings
    try:
        case = submit_opinion(
            session,
            settings,
            OpinionRequest(
                text=body.text,
                consent=body.consent,
                category=body.category,
                from_conversation_id=body.conversation_id,
                unit_code=body.unit_code,
                contact_phone=body.contact_phone,
            ),
        )
    except CaseError as exc:
        raise raise_for(exc) from exc
    unit = session.get(Unit, case.unit_id)
    if unit is None:
        raise HTTPException(500, "Không xác định được đơn vị tiếp nhận.")
    return {
        "id": case.id,
        "kind": case.kind,
        "status": case.status,
        "status_label": STATUS_LABELS[case.status],
        "category": case.category,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "due_at": iso(case.due_at),
        "conversation_id": case.conversation_id,
    }
