"""The embeddable chat widget (``/widget.js``, ``/widget.css``) and the demo page at ``/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

WEB = Path(__file__).resolve().parents[1] / "web"
router = APIRouter(tags=["widget"])
CACHE = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> FileResponse:
    return FileResponse(WEB / "widget.js", media_type="application/javascript; charset=utf-8", headers=CACHE)


@router.get("/widget.css", include_in_schema=False)
def widget_css() -> FileResponse:
    return FileResponse(WEB / "widget.css", media_type="text/css; charset=utf-8", headers=CACHE)


@router.get("/", include_in_schema=False)
def demo_page() -> FileResponse:
    return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8")
