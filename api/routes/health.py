"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import PlatformDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(platform: PlatformDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        with platform.db.session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure means not ready; the reason is reported, not raised
        checks["database"] = f"lỗi: {exc}"
    try:
        counts = platform.search.index.counts()
        in_step = counts["lexical"] == counts["dense"]
        checks["index"] = "ok" if in_step else f"chưa đồng bộ ({counts}); chạy: congdoan index sync"
    except Exception as exc:  # same: report why the index is not usable
        checks["index"] = f"lỗi: {exc}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)
