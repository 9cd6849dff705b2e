"""Splitting and rendering: every part within the channel's limit, cut where a reader expects a pause,
HTML that Telegram accepts, and nothing lost or repeated."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr

from assistant.config import BotSettings
from assistant.legal import Answer
from bots import telegram, zalo
from bots.channel import Block, OutgoingMessage, render_blocks, split_text, utf16_len
from bots.dialogue import answer_message
from tests.bots.fake_telegram import visible_text

OFFLINE = BotSettings(token=SecretStr("1:offline"), api_base_url="http://127.0.0.1:9/bot")  # never called
SENTENCE = "Người lao động có quyền đơn phương chấm dứt hợp đồng lao động nhưng phải báo trước {n} ngày."


def words(text: str) -> list[str]:
    return text.split()


def test_short_text_is_one_chunk() -> None:
    assert split_text("  Xin chào!  ", 100) == ["Xin chào!"]


def test_split_keeps_every_word_once_and_stays_within_the_limit() -> None:
    text = " ".join(SENTENCE.format(n=n) for n in range(200))
    chunks = split_text(text, 500)
    assert len(chunks) > 1
    assert all(len(chunk) <= 500 for chunk in chunks)
    assert words(" ".join(chunks)) == words(text)


def test_split_prefers_sentence_ends_then_clauses() -> None:
    text = " ".join(SENTENCE.format(n=n) for n in range(50))
    for chunk in split_text(text, 300):
        assert chunk.endswith("ngày.")
    clauses = "; ".join(f"điều kiện thứ {n} phải được bảo đảm đầy đủ" for n in range(60))
    chunks = split_text(clauses, 200)
    assert all(chunk.endswith(";") for chunk in chunks[:-1])


def test_split_prefers_paragraphs() -> None:
    paragraphs = ["Đoạn " + str(n) + ". " + "Nội dung khá dài của đoạn văn. " * 5 for n in range(6)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_text(text, 400)
    assert all(re.match(r"Đoạn \d+\.", chunk) for chunk in chunks)


def test_a_word_longer_than_the_limit_is_cut() -> None:
    chunks = split_text("a" * 25, 10)
    assert chunks == ["a" * 10, "a" * 10, "a" * 5]


def test_split_measures_utf16_for_telegram() -> None:
    text = "👍" * 3000  # 6,000 UTF-16 units
    chunks = split_text(text, 4096, utf16_len)
    assert all(utf16_len(chunk) <= 4096 for chunk in chunks)
    assert "".join(chunks) == text


def test_split_rejects_a_useless_limit() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 0)


def test_telegram_escapes_html_and_counts_the_escapes() -> None:
    nasty = "Lương < 5 triệu & phụ cấp > 0 <b>không phải thẻ</b>. " * 120
    parts = telegram.TelegramChannel(telegram.build_bot(OFFLINE)).render(
        OutgoingMessage("1", [Block("Tiêu đề <1>", "bold"), Block(nasty), Block("trích dẫn & nguồn", "quote")])
    )
    assert len(parts) > 1
    shown = ""
    for part in parts:
        assert utf16_len(part.text) <= telegram.LIMIT
        shown += visible_text(part.text) + "\n"  # raises where Telegram would refuse the markup
    assert shown.startswith("Tiêu đề <1>")
    assert words(shown) == words("Tiêu đề <1> " + nasty + " trích dẫn & nguồn")


def test_telegram_puts_the_keyboard_on_the_last_part_only() -> None:
    answer = Answer(answer="Câu trả lời. " * 800, message_id="abc123", as_of="2026-01-01")
    parts = telegram.TelegramChannel(telegram.build_bot(OFFLINE)).render(answer_message("7", answer))
    assert len(parts) >= 2
    assert all(part.markup is None for part in parts[:-1])
    buttons = [b.callback_data for row in parts[-1].markup.inline_keyboard for b in row]
    assert buttons == ["fb:abc123:1", "fb:abc123:-1", "case:start"]


def test_zalo_splits_at_2000_and_lists_the_typed_choices() -> None:
    answer = Answer(answer="\n\n".join(SENTENCE.format(n=n) for n in range(60)), message_id="m1", as_of="2026-01-01")
    parts = zalo.ZaloChannel(zalo.build_api(OFFLINE)).render(answer_message("u1", answer))
    assert len(parts) >= 2
    assert all(len(part.text) <= zalo.LIMIT for part in parts)
    assert all(part.text.endswith("ngày.") for part in parts[:-1])
    last = parts[-1].text
    assert "Gõ “1”: 👍 Hữu ích" in last and "Gõ “2”" in last and "Gõ “0”: 🧑‍💼 Gặp cán bộ công đoàn" in last
    assert words("\n".join(p.text for p in parts)).count("ngày.") == 60


def test_sources_heading_is_bold_and_tight() -> None:
    answer = Answer(
        answer="Bạn phải báo trước 45 ngày.\n\nCăn cứ pháp lý:\n• khoản 1 Điều 35 Bộ luật Lao động 2019",
        message_id="m",
        as_of="2026-01-01",
    )
    message = answer_message("1", answer)
    assert render_blocks(message.blocks, 4096, telegram.markup) == [
        "Bạn phải báo trước 45 ngày.\n\n<b>Căn cứ pháp lý:</b>\n• khoản 1 Điều 35 Bộ luật Lao động 2019"
    ]
    assert message.plain() == answer.answer
    assert OutgoingMessage.from_json(message.to_json()) == message
