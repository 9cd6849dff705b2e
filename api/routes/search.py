"""``GET /api/v1/search``: the ranked provisions for a query, the same JSON as ``congdoan search --json``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import PlatformDep

router = APIRouter(prefix="/api/v1", tags=["search"])

HIT_FIELDS = ("work_number", "version_label", "document_title", "article", "clause", "point", "score", "text")


def hit_json(hit: Any) -> dict[str, Any]:
    return {name: getattr(hit, name, None) for name in HIT_FIELDS}


@router.get("/search", summary="Tìm điều khoản liên quan")
def search(
    platform: PlatformDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="Câu hỏi hoặc từ khóa")],
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    as_of: Annotated[date | None, Query(description="Ngày hiệu lực, YYYY-MM-DD")] = None,
) -> dict[str, list[dict[str, Any]]]:
    try:
        hits = platform.retriever.search(q, k=k, as_of=as_of or date.today())
    except Exception as exc:
        raise HTTPException(503, detail="Kho văn bản chưa sẵn sàng để tìm kiếm.") from exc
    return {"hits": [hit_json(h) for h in hits]}
