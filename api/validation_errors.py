"""422 answers in Vietnamese: FastAPI's request validation speaks pydantic's English ("JSON decode error", "Field
required"). The shape stays FastAPI's (``detail``: a list of ``loc`` / ``msg`` / ``type``) so clients keep working;
the rejected input is not echoed back (a 4,000-character message, or someone's personal data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

_KINDS = {
    "string_type": "một chuỗi ký tự",
    "int_type": "một số nguyên",
    "int_parsing": "một số nguyên",
    "float_type": "một số",
    "float_parsing": "một số",
    "bool_type": "true hoặc false",
    "bool_parsing": "true hoặc false",
    "dict_type": "một đối tượng JSON",
    "model_type": "một đối tượng JSON",
    "model_attributes_type": "một đối tượng JSON",
    "list_type": "một danh sách",
    "date_type": "một ngày dạng YYYY-MM-DD",
    "date_parsing": "một ngày dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "một ngày dạng YYYY-MM-DD",
    "datetime_type": "một thời điểm dạng ISO 8601",
    "datetime_parsing": "một thời điểm dạng ISO 8601",
    "uuid_type": "một mã UUID",
    "uuid_parsing": "một mã UUID",
}


def vietnamese(error: Mapping[str, Any]) -> str:
    """The message a person reads for one pydantic error."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    field = _field(error.get("loc", ()))
    if kind == "json_invalid":
        return 'Nội dung gửi lên không phải JSON hợp lệ. Hãy gửi một đối tượng JSON, ví dụ {"message": "…"}.'
    if kind == "missing":
        return f"Thiếu trường bắt buộc “{field}”." if field else "Thiếu nội dung yêu cầu (JSON)."
    if kind in _KINDS:
        return f"Trường “{field}” phải là {_KINDS[kind]}."
    if kind == "string_too_long":
        return f"Trường “{field}” dài quá {ctx.get('max_length')} ký tự."
    if kind == "string_too_short":
        return f"Trường “{field}” phải có ít nhất {ctx.get('min_length')} ký tự."
    bounds = {"greater_than_equal": ("ge", "≥"), "less_than_equal": ("le", "≤"), "greater_than": ("gt", ">"),
              "less_than": ("lt", "<")}
    if kind in bounds:
        key, sign = bounds[kind]
        return f"Trường “{field}” phải {sign} {ctx.get(key)}."
    if kind in ("literal_error", "enum"):
        return f"Trường “{field}” phải là một trong: {ctx.get('expected')}."
    if kind == "extra_forbidden":
        return f"Không nhận trường “{field}”."
    # Our own validators already write Vietnamese (PydanticCustomError, value errors).
    message = str(error.get("msg", ""))
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return message if not message.isascii() else f"Giá trị của trường “{field}” không hợp lệ."


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


async def vietnamese_validation_errors(_request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": list(e.get("loc", ())), "msg": vietnamese(e), "type": e.get("type", "")} for e in errors]
    return JSONResponse({"detail": detail}, status_code=422)
