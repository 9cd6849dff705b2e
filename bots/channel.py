"""What every channel shares: the message types, the ``Channel`` protocol and splitting text within a limit.

The dialogue speaks in ``OutgoingMessage``s made of styled blocks and buttons; each channel renders them in
its own markup (Telegram HTML, Zalo plain text) and into parts that fit its limit, so no channel ever cuts a
word, an escape sequence or a tag in half.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Measure = Callable[[str], int]
Style = Literal["plain", "bold", "italic", "quote"]

# Where a long text may be cut, best first: paragraph, line, sentence, clause, word.
_BREAKS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<cut>\n\s*\n)"),
    re.compile(r"(?P<cut>\n)"),
    re.compile(r"[.!?…][\"”’)\]]*(?P<cut>\s+)"),
    re.compile(r"[;:,](?P<cut>\s+)"),
    re.compile(r"(?P<cut>\s+)"),
)


@dataclass(frozen=True)
class Button:
    """A choice the person can tap; ``data`` comes back as the callback (Telegram) or is typed (Zalo)."""

    label: str
    data: str
    typed: str = ""  # what to type on a channel without buttons, e.g. "1"


@dataclass(frozen=True)
class Block:
    text: str
    style: Style = "plain"
    tight: bool = False  # follows the previous block on the next line instead of after a blank line


@dataclass
class OutgoingMessage:
    chat_id: str
    blocks: list[Block]
    buttons: list[list[Button]] = field(default_factory=list)
    request_contact: bool = False  # ask for the person's own phone number (Telegram's contact button)
    remove_keyboard: bool = False

    @classmethod
    def text(cls, chat_id: str, text: str, **kwargs: Any) -> OutgoingMessage:
        return cls(chat_id=chat_id, blocks=[Block(text)], **kwargs)

    def plain(self) -> str:
        """The message as plain text: what is stored in the outbox and shown to staff."""
        text = ""
        for block in self.blocks:
            if block.text.strip():
                text = f"{text}{chr(10) if block.tight else chr(10) * 2}{block.text}" if text else block.text
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "blocks": [{"text": b.text, "style": b.style, "tight": b.tight} for b in self.blocks],
            "buttons": [[{"label": b.label, "data": b.data, "typed": b.typed} for b in row] for row in self.buttons],
            "request_contact": self.request_contact,
            "remove_keyboard": self.remove_keyboard,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutgoingMessage:
        return cls(
            chat_id=str(data["chat_id"]),
            blocks=[Block(b["text"], b.get("style", "plain"), bool(b.get("tight"))) for b in data.get("blocks", [])],
            buttons=[[Button(**b) for b in row] for row in data.get("buttons", [])],
            request_contact=bool(data.get("request_contact")),
            remove_keyboard=bool(data.get("remove_keyboard")),
        )


@dataclass(frozen=True)
class IncomingMessage:
    """One update from any channel, reduced to what the dialogue needs."""

    channel: str
    update_key: str  # unique per channel: the dedupe key
    chat_id: str
    user_id: str
    text: str = ""
    user_name: str = ""
    message_id: str = ""
    is_group: bool = False
    addressed: bool = True  # private chats always; groups only when the bot is mentioned
    callback_data: str = ""  # a tapped button
    callback_id: str = ""  # Telegram needs it to stop the button's spinner
    contact_phone: str = ""  # a phone number the channel verified as the sender's own
    unsupported: str = ""  # "photo", "sticker", "voice"... when the message has no text we can read


@dataclass(frozen=True)
class Part:
    """One message as the channel's API takes it: text in the channel's markup plus its keyboard."""

    chat_id: str
    text: str
    markup: Any = None  # the channel's own keyboard object, on the last part only


@dataclass(frozen=True)
class Capabilities:
    buttons: bool  # inline buttons come back as callbacks (Telegram); otherwise people type the choice
    contact_button: bool  # the channel can share the sender's verified phone number


class Channel(Protocol):
    """A chat platform: reads its updates, renders the dialogue's messages, and sends them part by part."""

    name: str
    limit: int
    capabilities: Capabilities

    def parse(self, update: dict[str, Any]) -> IncomingMessage | None: ...

    def render(self, message: OutgoingMessage) -> list[Part]: ...

    async def send_part(self, part: Part) -> None: ...

    async def typing(self, chat_id: str) -> None: ...

    async def acknowledge(self, incoming: IncomingMessage, note: str = "", clear_buttons: bool = False) -> None: ...


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _fits(text: str, limit: int, measure: Measure) -> int:
    """The longest prefix length of ``text`` whose measure stays within ``limit``."""
    if measure(text) <= limit:
        return len(text)
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if measure(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def _cut(window: str) -> int:
    """Where to end this chunk inside ``window``: the best break that keeps the chunk reasonably full."""
    floor = len(window) // 3
    for pattern in _BREAKS:
        ends = [m.start("cut") for m in pattern.finditer(window) if m.start("cut") >= floor]
        if ends:
            return ends[-1]
    return len(window)


def take(text: str, limit: int, measure: Measure = len) -> tuple[str, str]:
    """The longest good first chunk of ``text`` within ``limit``, and what is left; ("", text) if not
    even one character fits."""
    rest = text.strip()
    size = _fits(rest, limit, measure)
    if size >= len(rest) or size == 0:
        return (rest, "") if size else ("", rest)
    end = _cut(rest[: size + 1]) if rest[size].isspace() else _cut(rest[:size])
    end = min(end, size) or size
    return rest[:end].strip(), rest[end:].strip()


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Split ``text`` into chunks within ``limit`` at paragraph, sentence or clause boundaries.

    Only a single word longer than the limit is ever cut mid-word. Chunks are stripped; none is empty.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        chunk, rest = take(rest, limit, measure)
        if not chunk:
            raise ValueError("limit too small for a single character")
        chunks.append(chunk)
    return chunks


def render_blocks(
    blocks: Sequence[Block], limit: int, markup: Callable[[Block], str], measure: Measure = len
) -> list[str]:
    """Render blocks in a channel's markup and pack them into as few messages as fit within ``limit``.

    A block too long for one message is split on its plain text, measuring the *rendered* message, so the
    escapes and tags a channel adds are counted and never cut; its first chunk fills the message already
    begun (a heading stays with the text it introduces).
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        if not block.text.strip():
            continue
        separator = "\n" if block.tight else "\n\n"
        rendered = markup(block)
        joined = f"{current}{separator}{rendered}" if current else rendered
        if measure(joined) <= limit:
            current = joined
            continue
        if measure(rendered) <= limit:
            messages.append(current)
            current = rendered
            continue
        rest = block.text
        while rest:
            prefix = f"{current}{separator}" if current else ""
            if current and measure(prefix) > limit * 2 // 3:  # too little room left: start a new message
                messages.append(current)
                current = ""
                continue

            def size(text: str, prefix: str = prefix, style: Style = block.style) -> int:
                return measure(prefix + markup(Block(text, style)))

            chunk, rest = take(rest, limit, size)
            if not chunk:
                if not current:
                    raise ValueError("limit too small for a single character")
                messages.append(current)
                current = ""
                continue
            current = prefix + markup(Block(chunk, block.style))
            if rest:
                messages.append(current)
                current = ""
    if current:
        messages.append(current)
    return messages
