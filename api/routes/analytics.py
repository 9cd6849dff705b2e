"""``GET /api/v1/analytics``: the dashboard's figures, within the caller's reach."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from api.routes.auth import ReachDep, TxDep, require
from assistant.analytics import dashboard

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


@router.get("")
def analytics(reach: ReachDep, session: TxDep, days: int = Query(30, ge=1, le=366)) -> dict[str, Any]:
    require(reach, "analytics")
    return dashboard(session, reach, days)
