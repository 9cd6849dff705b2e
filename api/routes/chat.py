"""Chat: ``POST /api/v1/chat`` returns the Answer; ``POST /api/v1/chat/stream`` sends it as server-sent
events (``sources`` first, then ``delta`` chunks of text, then ``done`` with the Answer)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from api.deps import PlatformDep
from assistant.answering.chain import ChainEvent
from assistant.answering.service import ChatInput, ChatOutcome
from assistant.config import Settings
from assistant.legal import Answer

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["chat"])

UNAVAILABLE = (
    "Trợ lý tạm thời chưa trả lời được (kho văn bản chưa sẵn sàng). Bạn vui lòng thử lại sau ít phút."
)


class ChatBody(BaseModel):
    message: str = Field(description="Câu hỏi, tối đa CONGDOAN_MAX_MESSAGE_CHARS ký tự (mặc định 4.000).")
    conversation_id: str | None = Field(default=None, description="Để hỏi tiếp trong cùng cuộc trò chuyện.")
    as_of: date | None = Field(default=None, description="Trả lời theo luật có hiệu lực vào ngày này.")


def _invalid(message: str, kind: str) -> HTTPException:
    return HTTPException(422, detail=[{"loc": ["body", "message"], "msg": message, "type": kind}])


def _count(n: int) -> str:
    """Vietnamese thousands separator: 4000 → "4.000"."""
    return f"{n:,}".replace(",", ".")


def validated(body: ChatBody, settings: Settings) -> ChatInput:
    text = body.message.strip()
    if not text:
        raise _invalid("Bạn chưa nhập câu hỏi. Hãy viết điều bạn muốn hỏi về lao động, công đoàn.", "empty")
    limit = settings.max_message_chars
    if len(text) > limit:
        raise _invalid(
            f"Câu hỏi dài {_count(len(text))} ký tự, vượt giới hạn {_count(limit)} ký tự. Bạn hãy rút gọn: "
            "nêu sự việc chính (loại hợp đồng, thời gian làm việc, điều đã xảy ra) và điều bạn muốn biết; "
            "nếu cần gửi giấy tờ dài, hãy đề nghị gặp cán bộ công đoàn.",
            "too_long",
        )
    return ChatInput(message=text, conversation_id=body.conversation_id or None, as_of=body.as_of)


# The widget runs on other sites' pages: the public chat endpoints answer any origin (no cookies are used).
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


@router.options("/chat", include_in_schema=False)
@router.options("/chat/stream", include_in_schema=False)
@router.options("/feedback", include_in_schema=False)
def preflight() -> Response:
    return Response(status_code=204, headers=CORS)


@router.post("/chat", response_model=Answer, summary="Hỏi trợ lý, nhận câu trả lời có trích dẫn")
def chat(body: ChatBody, platform: PlatformDep, response: Response) -> Answer:
    response.headers.update(CORS)
    chat_input = validated(body, platform.settings)
    try:
        outcome = platform.chat.ask(chat_input)
    except Exception as exc:
        log.exception("chat failed")
        raise HTTPException(503, detail=UNAVAILABLE) from exc
    return outcome.answer


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def event_payload(event: ChainEvent) -> str:
    if event.kind == "sources":
        return sse("sources", {"sources": event.data})
    if event.kind == "delta":
        return sse("delta", {"text": event.data})
    outcome: ChatOutcome = event.data
    return sse("done", outcome.answer.model_dump(mode="json"))


@router.post(
    "/chat/stream",
    summary="Hỏi trợ lý, nhận câu trả lời dạng luồng (server-sent events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "sources → delta… → done"}},
)
def chat_stream(body: ChatBody, platform: PlatformDep) -> StreamingResponse:
    chat_input = validated(body, platform.settings)
    service = platform.chat

    def events() -> Iterator[str]:
        try:
            for event in service.stream(chat_input):
                yield event_payload(event)
        except Exception:
            log.exception("chat stream failed")
            yield sse("error", {"detail": UNAVAILABLE})

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **CORS}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
