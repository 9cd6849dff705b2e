"""``POST /webhooks/telegram`` and ``POST /webhooks/zalo``: the secret header is checked first, in constant
time, before the body is even read; the update is then answered in the background so the platform's retry
timer never fires on a slow answer."""

from __future__ import annotations

import hmac
import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from bots.hub import BotHub

router = APIRouter(prefix="/webhooks", tags=["webhooks"], include_in_schema=True)

SECRET_HEADERS = {
    "telegram": "X-Telegram-Bot-Api-Secret-Token",
    "zalo": "X-Bot-Api-Secret-Token",
}


def _verified(hub: BotHub | None, name: str, request: Request) -> BotHub:
    expected = hub.secret(name) if hub is not None else ""
    given = request.headers.get(SECRET_HEADERS[name], "")
    # No secret configured means no webhook: an unauthenticated endpoint would let anyone speak as anyone.
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="Forbidden")
    assert hub is not None
    return hub


async def _receive(name: str, request: Request) -> JSONResponse:
    hub = _verified(getattr(request.app.state, "bots", None), name, request)
    try:
        payload = json.loads(await request.body())
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Nội dung không phải JSON hợp lệ.") from exc
    if not isinstance(payload, dict):
        raise HTTPException(status_code=400, detail="Nội dung không phải một cập nhật.")
    if not hub.accept(name, payload):
        raise HTTPException(status_code=503, detail=f"Bot {name} chưa được cấu hình token.")
    return JSONResponse({"ok": True})


@router.post("/telegram")
async def telegram_webhook(request: Request) -> JSONResponse:
    return await _receive("telegram", request)


@router.post("/zalo")
async def zalo_webhook(request: Request) -> JSONResponse:
    return await _receive("zalo", request)
