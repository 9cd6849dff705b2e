from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from assistant import cases
from assistant.cases import OpenRequest
from assistant.db.base import utcnow
from assistant.db.cases import Case, OutboxItem
from assistant.db.conversations import Conversation
from assistant.housekeeping import Housekeeper
from assistant.platform import Platform
from tests.assistant.union_seed import conversation, fresh_database, reach_for, seed_union
from tests.conftest import make_settings


def test_the_background_round_escalates_purges_and_delivers(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, retention_days=30)
    fresh_database(settings).dispose()
    platform = Platform(settings)
    long_ago = utcnow() - timedelta(days=60)
    with platform.db.session() as s:
        seed_union(s)
        old = conversation(s, user="old", unit_code="HN-CG-A", at=long_ago)
        overdue_conv = conversation(s, user="late", unit_code="HN-CG-A", at=long_ago)
        case, _ = cases.open_case(
            s, settings, OpenRequest(conversation_id=overdue_conv.id, consent=True), utcnow() - timedelta(hours=100)
        )
        fresh = conversation(s, user="new", unit_code="HN-CG-A")
        answered, _ = cases.open_case(s, settings, OpenRequest(conversation_id=fresh.id, consent=True))
        cases.reply(s, settings, reach_for(s, "cb.hn-cg-a"), answered, "Đã nhận.")
        ids = (old.id, case.id)
    housekeeper = Housekeeper(platform, poll_seconds=0.05)
    assert housekeeper.sweep_now() == {"escalated": 1, "purged": 1}
    housekeeper.start()
    try:
        for _ in range(100):
            with platform.db.session() as s:
                if s.scalar(select(OutboxItem.status)) == "sent":
                    break
            time.sleep(0.05)
    finally:
        housekeeper.stop()
    with platform.db.session() as s:
        assert s.get(Conversation, ids[0]) is None
        moved = s.get(Case, ids[1])
        assert moved is not None and moved.escalation_level == 1
        assert s.scalar(select(OutboxItem.status)) == "sent"
    platform.close()
