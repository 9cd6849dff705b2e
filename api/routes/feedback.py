"""``POST /api/v1/feedback``: a member rates an answer (1 hữu ích, -1 chưa đúng), with an optional comment."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from api.deps import PlatformDep
from assistant.feedback import MAX_COMMENT_CHARS, UnknownMessage, record_feedback

router = APIRouter(prefix="/api/v1", tags=["chat"])


class FeedbackBody(BaseModel):
    message_id: str = Field(description="message_id của câu trả lời được đánh giá.")
    rating: Literal[1, -1]
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)


class FeedbackSaved(BaseModel):
    id: int
    message_id: str
    rating: int


@router.post("/feedback", response_model=FeedbackSaved, summary="Đánh giá một câu trả lời")
def feedback(body: FeedbackBody, platform: PlatformDep) -> FeedbackSaved:
    try:
        feedback_id = record_feedback(platform.db, body.message_id, body.rating, body.comment.strip())
    except UnknownMessage as exc:
        raise HTTPException(404, detail="Không tìm thấy câu trả lời cần đánh giá.") from exc
    return FeedbackSaved(id=feedback_id, message_id=body.message_id, rating=body.rating)
