"""A small but real union tree, members, staff and conversations for the cases and access tests.

TLD (tong)
├── HN (tinh_nganh)
│   ├── HN-CG (cap_tren_co_so)
│   │   ├── HN-CG-A (co_so)
│   │   └── HN-CG-B (co_so)
│   └── HN-DD (cap_tren_co_so)
│       └── HN-DD-C (co_so)
└── HCM (tinh_nganh)
    └── HCM-Q1 (cap_tren_co_so)
        └── HCM-Q1-D (co_so)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant.access import Reach, reach_of
from assistant.config import Settings
from assistant.db.conversations import Conversation, Message
from assistant.db.engine import Database
from assistant.db.union import StaffUser
from assistant.members import MemberRow, import_members
from assistant.staff import add_staff
from assistant.units import UnitRow, import_units

UNITS = [
    ("TLD", "Tổng Liên đoàn Lao động Việt Nam", "tong", ""),
    ("HN", "Liên đoàn Lao động thành phố Hà Nội", "tinh_nganh", "TLD"),
    ("HN-CG", "Liên đoàn Lao động quận Cầu Giấy", "cap_tren_co_so", "HN"),
    ("HN-CG-A", "Công đoàn cơ sở Công ty May A", "co_so", "HN-CG"),
    ("HN-CG-B", "Công đoàn cơ sở Công ty Điện tử B", "co_so", "HN-CG"),
    ("HN-DD", "Liên đoàn Lao động quận Đống Đa", "cap_tren_co_so", "HN"),
    ("HN-DD-C", "Công đoàn cơ sở Công ty C", "co_so", "HN-DD"),
    ("HCM", "Liên đoàn Lao động Thành phố Hồ Chí Minh", "tinh_nganh", "TLD"),
    ("HCM-Q1", "Liên đoàn Lao động Quận 1", "cap_tren_co_so", "HCM"),
    ("HCM-Q1-D", "Công đoàn cơ sở Công ty D", "co_so", "HCM-Q1"),
]
MEMBERS = [
    ("DV-A1", "Nguyễn Thị Lan", "0912345671", "HN-CG-A"),
    ("DV-A2", "Trần Văn Minh", "0912345672", "HN-CG-A"),
    ("DV-B1", "Lê Thị Hoa", "0912345673", "HN-CG-B"),
    ("DV-C1", "Phạm Văn Nam", "0912345674", "HN-DD-C"),
    ("DV-D1", "Võ Thị Mai", "0912345675", "HCM-Q1-D"),
]
PASSWORD = "mat-khau-thu-nghiem"


def seed_union(session: Session) -> None:
    import_units(session, [UnitRow(*row) for row in UNITS])
    import_members(session, [MemberRow(*row) for row in MEMBERS])
    for code, *_ in UNITS:
        add_staff(session, f"cb.{code.lower()}", "officer", code, PASSWORD, f"Cán bộ {code}", rounds=4)
    add_staff(session, "phaply.hn", "legal", "HN", PASSWORD, "Luật sư Hà Nội", rounds=4)
    add_staff(session, "bientap.tld", "curator", "TLD", PASSWORD, "Biên tập viên", rounds=4)
    session.flush()


def reach_for(session: Session, username: str) -> Reach:
    from sqlalchemy import select

    staff = session.scalar(select(StaffUser).where(StaffUser.username == username))
    assert staff is not None
    return reach_of(staff)


def conversation(
    session: Session,
    *,
    channel: str = "web",
    user: str = "visitor",
    unit_code: str | None = None,
    member_id: int | None = None,
    question: str = "Công ty nợ lương tôi ba tháng thì phải làm sao?",
    at: datetime | None = None,
    answer: dict[str, Any] | None = None,
) -> Conversation:
    extra = {"created_at": at, "updated_at": at} if at else {}
    conv = Conversation(channel=channel, channel_user_id=user, unit_code=unit_code, member_id=member_id, **extra)
    session.add(conv)
    session.flush()
    session.add(Message(conversation_id=conv.id, role="user", text=question, **({"created_at": at} if at else {})))
    answer = answer or {}
    session.add(
        Message(
            conversation_id=conv.id,
            role="assistant",
            text=answer.get("text", "Theo khoản 1 Điều 94 Bộ luật Lao động 2019, người lao động được trả lương."),
            citations=answer.get(
                "citations",
                [
                    {
                        "work_number": "45/2019/QH14",
                        "article": 94,
                        "clause": 1,
                        "document_title": "Bộ luật Lao động",
                    }
                ],
            ),
            refused=answer.get("refused", False),
            escalation=answer.get("escalation", {"suggested": True, "category": "tien_luong", "reason": "nợ lương"}),
            topic=answer.get("topic", "tiền lương"),
            **({"created_at": at} if at else {}),
        )
    )
    session.flush()
    return conv


def fresh_database(settings: Settings) -> Database:
    """The whole schema at once (faster than replaying migrations, which tests/assistant/db checks)."""
    from assistant.db.models import Base

    settings.ensure_dirs()
    database = Database(settings)
    Base.metadata.create_all(database.engine)
    return database
