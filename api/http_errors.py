"""Starlette's own error texts ("Not Found", "Method Not Allowed") in Vietnamese. Errors the routes raise already
carry Vietnamese details and pass through unchanged."""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException

DEFAULT_TEXTS = {
    "Not Found": "Không tìm thấy địa chỉ này. Xem các địa chỉ của API tại /docs.",
    "Method Not Allowed": "Địa chỉ này không nhận phương thức HTTP đó. Xem /docs.",
    "Unauthorized": "Bạn cần đăng nhập.",
    "Forbidden": "Bạn không có quyền truy cập nội dung này.",
    "Unsupported Media Type": "Định dạng nội dung gửi lên không được hỗ trợ; hãy gửi JSON.",
    "Request Entity Too Large": "Nội dung gửi lên quá lớn.",
    "Internal Server Error": "Hệ thống gặp lỗi. Bạn vui lòng thử lại sau.",
}


async def vietnamese_http_errors(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and isinstance(exc.detail, str) and exc.detail in DEFAULT_TEXTS:
        exc = HTTPException(exc.status_code, DEFAULT_TEXTS[exc.detail], headers=exc.headers)
    assert isinstance(exc, HTTPException)
    return await http_exception_handler(request, exc)
