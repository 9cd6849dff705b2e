"""Legal domain types shared by every face: a citation to a provision, the escalation flag and the Answer.

The Answer is a public interface (``congdoan ask --json``, ``POST /api/v1/chat``): fields are only added,
never renamed. ``work_number`` is always the law's own number; a consolidated text (VBHN) or a later version
is named in ``version_label``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

EscalationCategory = Literal[
    "tien_luong",
    "cham_dut_hop_dong",
    "bao_hiem_xa_hoi",
    "ky_luat",
    "an_toan_lao_dong",
    "quay_roi",
    "khac",
]

# Document types whose citation name is "<type> <number>" rather than "<title> <year> (<number>)".
_NUMBERED_TYPES = ("Nghị định", "Thông tư", "Quyết định", "Nghị quyết", "Công văn", "Hướng dẫn")
_YEAR_RE = re.compile(r"/((?:19|20)\d\d)/")


class Citation(BaseModel):
    work_number: str = Field(description="Số hiệu của chính văn bản luật, ví dụ 45/2019/QH14.")
    version_label: str = Field(default="", description="Phiên bản được trích (văn bản gốc, hợp nhất...).")
    document_title: str = Field(default="", description="Tên văn bản, ví dụ Bộ luật Lao động.")
    article: int = Field(description="Số Điều.")
    clause: int | str | None = Field(default=None, description="Khoản; null khi trích cả Điều.")
    point: str | None = Field(default=None, description="Điểm; null khi không trích điểm.")
    quote: str = Field(description="Nguyên văn trích từ văn bản đã lưu.")
    valid_from: date | None = None
    valid_to: date | None = None

    def label(self) -> str:
        """How a Vietnamese reader cites it: "điểm a khoản 1 Điều 35 Bộ luật Lao động 2019 (45/2019/QH14)"."""
        return f"{provision_ref(self.article, self.clause, self.point)} {document_name(self)}"


class Escalation(BaseModel):
    suggested: bool = False
    category: EscalationCategory | None = None
    reason: str | None = None


class Answer(BaseModel):
    conversation_id: str = ""
    message_id: str = ""
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    escalation: Escalation = Field(default_factory=Escalation)
    as_of: date


def provision_ref(article: int, clause: int | str | None = None, point: str | None = None) -> str:
    parts = []
    if point:
        parts.append(f"điểm {point}")
    if clause not in (None, ""):
        parts.append(f"khoản {clause}")
    parts.append(f"Điều {article}")
    return " ".join(parts)


def document_name(citation: Citation) -> str:
    """ "Bộ luật Lao động 2019 (45/2019/QH14)", or "Nghị định 145/2020/NĐ-CP" for numbered instruments."""
    title = citation.document_title.strip() or "văn bản"
    number = citation.work_number
    for kind in _NUMBERED_TYPES:
        if title.startswith(kind):
            return f"{kind} {number}"
    year = _YEAR_RE.search(f"/{number}/")
    if year and year.group(1) not in title:
        return f"{title} {year.group(1)} ({number})"
    return f"{title} ({number})"
