from __future__ import annotations

from datetime import date

import pytest

from assistant.config import Settings
from assistant.conversations import ConversationStore, Exchange
from assistant.db.engine import Database
from assistant.db.migrate import upgrade
from assistant.feedback import UnknownMessage, record_feedback
from assistant.legal import Answer, Citation, Escalation


def answer(text: str) -> Answer:
    quote = "a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;"
    citation = Citation(work_number="45/2019/QH14", article=35, clause=1, point="a", quote=quote)
    return Answer(answer=text, citations=[citation], escalation=Escalation(), as_of=date(2026, 1, 1))


def test_exchanges_history_and_feedback(db_settings: Settings) -> None:
    upgrade(db_settings)
    db = Database(db_settings)
    store = ConversationStore(db)
    assert store.history("does-not-exist").conversation_id is None
    trace = {"query": "Nghỉ việc báo trước bao lâu?", "passages": [{"n": 1, "article": 35}]}
    conversation_id, message_id = store.save(
        None, Exchange("Nghỉ việc báo trước bao lâu?", answer("45 ngày"), trace, 12)
    )
    store.save(
        conversation_id, Exchange("còn dưới 12 tháng?", answer("3 ngày"), {"query": "q2"}, 9, "tien_luong")
    )
    history = store.history(conversation_id)
    assert history.queries == ("Nghỉ việc báo trước bao lâu?", "q2")
    assert history.messages == ("Nghỉ việc báo trước bao lâu?", "còn dưới 12 tháng?")
    stored = store.messages(conversation_id)
    assert [m.role for m in stored] == ["user", "assistant", "user", "assistant"]
    assert stored[1].trace["passages"][0]["article"] == 35 and stored[1].citations[0]["point"] == "a"
    assert stored[3].topic == "tien_luong" and stored[3].latency_ms == 9
    other, _ = store.save(None, Exchange("x", answer("y"), {}, 1))
    assert other != conversation_id  # two web conversations do not collide
    first = record_feedback(db, message_id, 1)
    assert record_feedback(db, message_id, -1, "sai") == first  # rating again replaces
    with pytest.raises(UnknownMessage):
        record_feedback(db, stored[0].id, 1)  # a question cannot be rated
    db.dispose()


def test_save_writes_the_conversation_and_both_messages_in_one_transaction(db_settings: Settings) -> None:
    from sqlalchemy import event, select

    from assistant.db.conversations import Conversation, Message

    upgrade(db_settings)
    db = Database(db_settings)
    commits: list[object] = []
    event.listen(db.engine, "commit", lambda conn: commits.append(conn))
    conversation_id, message_id = ConversationStore(db).save(
        None, Exchange("nghỉ việc báo trước?", answer("45 ngày"), {"query": "nghỉ việc báo trước?"}, 12), "web"
    )
    assert len(commits) == 1
    with db.session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.external_id == conversation_id
        rows = session.scalars(select(Message).where(Message.conversation_id == conversation_id)).all()
        assert sorted((m.role, m.id == message_id) for m in rows) == [("assistant", True), ("user", False)]
        reply = next(m for m in rows if m.role == "assistant")
        assert reply.trace == {"query": "nghỉ việc báo trước?"} and reply.latency_ms == 12
    db.dispose()
