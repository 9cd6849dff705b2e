from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.validation_errors import vietnamese
from tests.api.conftest import LiveServer
from tests.conftest import make_settings


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"type": "json_invalid", "loc": ["body", 1], "msg": "JSON decode error"}, "không phải JSON hợp lệ"),
        ({"type": "missing", "loc": ["body", "message"], "msg": "Field required"}, "Thiếu trường bắt buộc “message”"),
        ({"type": "string_type", "loc": ["body", "message"], "msg": "Input should be a valid string"},
         "“message” phải là một chuỗi ký tự"),
        ({"type": "date_from_datetime_parsing", "loc": ["body", "as_of"], "msg": "Input should be a valid date"},
         "“as_of” phải là một ngày dạng YYYY-MM-DD"),
        ({"type": "less_than_equal", "loc": ["body", "rating"], "msg": "Input should be <= 1", "ctx": {"le": 1}},
         "“rating” phải ≤ 1"),
        ({"type": "value_error", "loc": ["body", "x"], "msg": "Value error, Mã không hợp lệ."}, "Mã không hợp lệ."),
        ({"type": "something_new", "loc": ["body", "x"], "msg": "Some English"},
         "Giá trị của trường “x” không hợp lệ."),
    ],
)
def test_pydantic_errors_read_in_vietnamese(error: dict[str, object], expected: str) -> None:
    assert expected in vietnamese(error)


def test_bad_requests_get_vietnamese_422_without_the_input_echoed(tmp_path: Path) -> None:
    with LiveServer(make_settings(tmp_path)) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        broken = client.post("/api/v1/chat", content=b"{not json", headers={"Content-Type": "application/json"})
        assert broken.status_code == 422
        assert broken.json()["detail"][0]["msg"].startswith("Nội dung gửi lên không phải JSON hợp lệ")
        missing = client.post("/api/v1/chat", json={"question": "nghỉ phép"})
        assert missing.status_code == 422 and "Thiếu trường bắt buộc “message”" in missing.text
        assert "nghỉ phép" not in missing.text and "input" not in missing.json()["detail"][0]
        date = client.post("/api/v1/chat", json={"message": "nghỉ phép", "as_of": "hôm qua"})
        assert date.status_code == 422 and "YYYY-MM-DD" in date.json()["detail"][0]["msg"]
        rating = client.post("/api/v1/feedback", json={"message_id": "x", "rating": 5})
        assert rating.status_code == 422 and rating.json()["detail"][0]["msg"].isascii() is False
        # Starlette's own texts too; the routes' own details pass through.
        nowhere = client.get("/api/v1/nowhere")
        assert nowhere.status_code == 404 and nowhere.json()["detail"].startswith("Không tìm thấy địa chỉ này")
        wrong = client.get("/api/v1/chat")
        assert wrong.status_code == 405 and "không nhận phương thức" in wrong.json()["detail"]
        unknown = client.post("/api/v1/feedback", json={"message_id": "nope", "rating": 1})
        assert unknown.status_code == 404 and not unknown.json()["detail"].startswith("Không tìm thấy địa chỉ này")
