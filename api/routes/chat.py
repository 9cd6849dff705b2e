"""Chat: ``POST /api/v1/chat`` returns the Answer; ``POST /api/v1/chat/stream`` sends it as server-sent
events (``sources`` first, then ``delta`` chunks of text, then ``done`` with the Answer)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import PlatformDep
from assistant.answering.chain import ChainEvent
from assistant.answering.service import ChatInput, ChatOutcome
from assistant.config import Settings
from assistant.legal import Answer
from assistant.platform import Platform

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


@router.post("/chat", response_model=Answer, summary="Hỏi trợ lý, nhận câu trả lời có trích dẫn")
async def chat(body: ChatBody, request: Request) -> Response:
    started = time.perf_counter()
    platform: Platform = request.app.state.platform
    chat_input = validated(body, platform.settings)
    try:
        outcome = await answer_in_pool(request, platform, chat_input)
    except Exception as exc:
        log.exception("chat failed")
        raise HTTPException(503, detail=UNAVAILABLE) from exc
    # The Answer was validated when the chain built it: serialise it once instead of validating it again
    # against response_model (which stays for the OpenAPI schema).
    return Response(
        outcome.answer.model_dump_json(),
        media_type="application/json",
        headers={"Server-Timing": server_timing(started, outcome.trace)},
    )


async def answer_in_pool(request: Request, platform: Platform, chat_input: ChatInput) -> ChatOutcome:
    """Answer on the app's small chat pool (``CONGDOAN_CHAT_THREADS``, see api/app.py): questions wait their turn in
    arrival order instead of all sharing the interpreter at once, which kept every answer in flight for
    the time of ten and put the long ones at the tail."""
    pool: Executor | None = getattr(request.app.state, "chat_pool", None)
    if pool is None:
        return await run_in_threadpool(timed_ask, platform, chat_input)
    return await asyncio.get_running_loop().run_in_executor(pool, timed_ask, platform, chat_input)


def timed_ask(platform: Platform, chat_input: ChatInput) -> ChatOutcome:
    started = time.perf_counter()
    outcome = platform.chat.ask(chat_input)
    outcome.trace.setdefault("answer_ms", round((time.perf_counter() - started) * 1000, 1))
    return outcome


def server_timing(started: float, trace: dict[str, Any]) -> str:
    """Where the server's time went (handler total, answer chain inside it), for browsers' dev tools and
    the load benchmark: latency seen by a client minus this is queueing and HTTP."""
    parts = [f"app;dur={(time.perf_counter() - started) * 1000:.1f}"]
    # answer: question in, answer stored (the wait for a chat thread is the rest of app); chain: its middle.
    for name in ("answer", "chain"):
        value = trace.get(f"{name}_ms")
        if isinstance(value, int | float):
            parts.append(f"{name};dur={value}")
    return ", ".join(parts)


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

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
