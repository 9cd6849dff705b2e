"""The one dialogue every channel shares: greeting, help, asking, feedback, linking a membership, opening a
case with consent, and passing on an officer's reply. No legal logic lives here; the answer chain answers and
the cases work routes, through the two ports below.

The dialogue is synchronous (database and answer chain); channels run it in a worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from assistant.legal import Answer
from assistant.vietnamese import fold
from bots import texts
from bots.channel import Block, Capabilities, IncomingMessage, OutgoingMessage
from bots.state import Step

SOURCES_HEADING = "Căn cứ pháp lý:"
_FEEDBACK_RE = re.compile(r"^fb:([0-9a-f]{1,64}):(-?1)$")
_COMMANDS = {
    "start": "start",
    "batdau": "start",
    "help": "help",
    "huongdan": "help",
    "trogiup": "help",
    "lienhe": "contact",
    "gapcanbo": "contact",
    "gapcanbocongdoan": "contact",
    "lienket": "link",
    "huy": "cancel",
    "cancel": "cancel",
}
_YES = {"dong y", "dongy", "co", "ok", "yes", "case:yes"}
_NO = {"khong", "ko", "no", "case:no"}


@dataclass(frozen=True)
class Who:
    """A person in a chat: the conversation key is (channel, user_id, chat_id)."""

    channel: str
    chat_id: str
    user_id: str
    name: str = ""
    is_group: bool = False

    @property
    def key(self) -> str:
        return f"{self.chat_id}:{self.user_id}"

    @classmethod
    def of(cls, incoming: IncomingMessage) -> Who:
        return cls(incoming.channel, incoming.chat_id, incoming.user_id, incoming.user_name, incoming.is_group)


@dataclass(frozen=True)
class CaseTicket:
    id: str
    unit_name: str
    status: str = "open"
    status_label: str = ""
    due: str = ""
    created: bool = False

    @property
    def ref(self) -> str:
        return self.id[:8].upper()


@dataclass(frozen=True)
class MemberInfo:
    name: str
    unit_name: str


class LinkRefused(ValueError):
    """Linking failed; the message can be shown as is."""


class CaseRefused(ValueError):
    """A case cannot be opened now; the message can be shown as is."""


class AssistantPort(Protocol):
    """Conversations, the answer chain and ratings (the answering work)."""

    def ask(self, who: Who, question: str) -> Answer: ...

    def note(self, who: Who, text: str) -> str: ...

    def conversation_id(self, who: Who) -> str | None: ...

    def has_question(self, who: Who) -> bool: ...

    def last_answer_id(self, who: Who) -> str | None: ...

    def rate(self, who: Who, message_id: str, rating: int) -> bool: ...


class UnionPort(Protocol):
    """Members, identity linking and cases (the union's work)."""

    def member(self, who: Who) -> MemberInfo | None: ...

    def link_by_phone(self, who: Who, phone: str) -> MemberInfo: ...

    def link_by_code(self, who: Who, member_code: str, phone_suffix: str) -> MemberInfo: ...

    def target_unit(self, who: Who) -> str: ...

    def current_case(self, conversation_id: str) -> CaseTicket | None: ...

    def open_case(self, conversation_id: str, contact_phone: str | None) -> CaseTicket: ...

    def member_wrote(self, conversation_id: str) -> None: ...


class StatePort(Protocol):
    def get(self, channel: str, chat_key: str) -> Step | None: ...

    def set(self, channel: str, chat_key: str, step: Step) -> None: ...

    def clear(self, channel: str, chat_key: str) -> None: ...


@dataclass
class Reply:
    messages: list[OutgoingMessage] = field(default_factory=list)
    ack: str = ""  # shown on the tapped button (Telegram's callback answer)
    clear_buttons: bool = False  # remove the buttons of the message that was tapped


def answer_message(chat_id: str, answer: Answer) -> OutgoingMessage:
    """The chain's text as blocks: paragraphs stay whole, the sources heading is set apart."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", answer.answer.strip()):
        if paragraph.startswith(SOURCES_HEADING):
            blocks.append(Block(SOURCES_HEADING, "bold"))
            rest = paragraph[len(SOURCES_HEADING) :].strip()
            if rest:
                blocks.append(Block(rest, tight=True))
        elif paragraph.strip():
            blocks.append(Block(paragraph.strip()))
    buttons = texts.answer_buttons(answer.message_id) if answer.message_id else []
    return OutgoingMessage(chat_id=chat_id, blocks=blocks, buttons=buttons)


def officer_message(chat_id: str, text: str, case_id: str | None) -> OutgoingMessage:
    heading = texts.OFFICER_HEADING + (f" (yêu cầu #{case_id[:8].upper()})" if case_id else "") + ":"
    return OutgoingMessage(
        chat_id=chat_id,
        blocks=[Block(heading, "bold"), Block(text.strip()), Block(texts.OFFICER_FOOTER, "italic")],
    )


def rate_limited_message(chat_id: str, seconds: int) -> OutgoingMessage:
    return OutgoingMessage.text(chat_id, texts.RATE_LIMITED.format(seconds=max(seconds, 1)))


def failure_message(chat_id: str) -> OutgoingMessage:
    return OutgoingMessage.text(chat_id, texts.FAILURE)


def _command(text: str) -> tuple[str, list[str]] | None:
    """("contact", []) for "/lienhe", "gặp cán bộ" or "Gặp cán bộ công đoàn"; None for a question."""
    words = text.strip().split()
    if not words:
        return None
    head = words[0]
    if head.startswith("/"):
        name = fold(head[1:].split("@", 1)[0])
        return (_COMMANDS[name], words[1:]) if name in _COMMANDS else ("unknown", words[1:])
    if len(words) <= 5:
        folded = "".join(ch for ch in fold(text) if ch.isalnum())
        if folded in _COMMANDS:
            return _COMMANDS[folded], []
        if fold(head) == "lienket" or (len(words) >= 2 and fold(" ".join(words[:2])) == "lien ket"):
            return "link", words[1:] if fold(head) == "lienket" else words[2:]
    return None


class Dialogue:
    def __init__(
        self,
        assistant: AssistantPort,
        union: UnionPort,
        states: StatePort,
        capabilities: Capabilities,
        *,
        max_chars: int = 4000,
    ) -> None:
        self.assistant = assistant
        self.union = union
        self.states = states
        self.caps = capabilities
        self.max_chars = max_chars

    # ---- entry point ---------------------------------------------------------------------------------

    def handle(self, incoming: IncomingMessage) -> Reply:
        if not incoming.addressed:
            return Reply()
        who = Who.of(incoming)
        if incoming.callback_data:
            return self._callback(who, incoming.callback_data)
        if incoming.contact_phone:
            return self._link_phone(who, incoming.contact_phone)
        if incoming.unsupported:
            text = texts.CONTACT_NOT_OWN if incoming.unsupported == "contact" else texts.UNSUPPORTED
            return self._say(who, text)
        return self._text(who, incoming.text.strip())

    def _say(self, who: Who, text: str, **kwargs: object) -> Reply:
        return Reply([OutgoingMessage.text(who.chat_id, text, **kwargs)])

    # ---- text ----------------------------------------------------------------------------------------

    def _text(self, who: Who, text: str) -> Reply:
        if not text:
            return Reply()
        if len(text) > self.max_chars:
            return self._say(who, texts.TOO_LONG.format(length=len(text), limit=self.max_chars))
        command = _command(text)
        if command is not None:
            return self._command(who, *command)
        step = self.states.get(who.channel, who.key)
        folded = fold(text).strip(" .!")
        if step is not None and step.name == "case_consent" and (folded in _YES or folded in _NO):
            return self._consent(who, folded in _YES)
        if step is not None and step.name == "case_describe":
            self.assistant.note(who, text)
            return self._ask_consent(who)
        if not self.caps.buttons and folded in {"1", "2"}:
            return self._typed_feedback(who, 1 if folded == "1" else -1)
        if not self.caps.buttons and folded == "0":
            return self._start_case(who)
        if self.caps.buttons and text in ("👍", "👎"):
            return self._typed_feedback(who, 1 if text == "👍" else -1)
        return self._question(who, text)

    def _command(self, who: Who, name: str, args: list[str]) -> Reply:
        if name == "start":
            self.states.clear(who.channel, who.key)
            return self._say(who, texts.greeting(who.name))
        if name in ("help", "unknown"):
            return self._say(who, texts.help_text(typed=not self.caps.buttons))
        if name == "cancel":
            had = self.states.get(who.channel, who.key) is not None
            self.states.clear(who.channel, who.key)
            return self._say(who, texts.CANCELLED if had else texts.NOTHING_TO_CANCEL, remove_keyboard=True)
        if name == "contact":
            return self._start_case(who)
        return self._link(who, args)

    def _question(self, who: Who, text: str) -> Reply:
        conversation_id = self.assistant.conversation_id(who)
        if conversation_id and not who.is_group:
            case = self.union.current_case(conversation_id)
            if case is not None and case.status == "waiting_member":
                self.assistant.note(who, text)
                self.union.member_wrote(conversation_id)
                return self._say(who, texts.CASE_FOLLOWUP.format(ref=case.ref))
        answer = self.assistant.ask(who, text)
        message = answer_message(who.chat_id, answer)
        if who.is_group:
            message.buttons = [row for row in message.buttons if not row[0].data.startswith("case:")]
        return Reply([message])

    # ---- feedback ------------------------------------------------------------------------------------

    def _callback(self, who: Who, data: str) -> Reply:
        match = _FEEDBACK_RE.match(data)
        if match:
            rating = int(match.group(2))
            if not self.assistant.rate(who, match.group(1), rating):
                return Reply(ack=texts.FEEDBACK_UNKNOWN)
            messages = [] if rating > 0 else [OutgoingMessage.text(who.chat_id, texts.FEEDBACK_SORRY)]
            return Reply(messages, ack=texts.FEEDBACK_THANKS, clear_buttons=True)
        if data == "case:start":
            return Reply(self._start_case(who).messages, ack="")
        if data in ("case:yes", "case:no"):
            step = self.states.get(who.channel, who.key)
            if step is None or step.name != "case_consent":
                return Reply(ack=texts.NOTHING_TO_CANCEL, clear_buttons=True)
            reply = self._consent(who, data == "case:yes")
            reply.clear_buttons = True
            return reply
        return Reply(ack="")

    def _typed_feedback(self, who: Who, rating: int) -> Reply:
        message_id = self.assistant.last_answer_id(who)
        if message_id is None:
            return self._say(who, texts.FEEDBACK_NOTHING)
        self.assistant.rate(who, message_id, rating)
        return self._say(who, texts.FEEDBACK_THANKS if rating > 0 else texts.FEEDBACK_SORRY)

    # ---- linking a membership ------------------------------------------------------------------------

    def _link(self, who: Who, args: list[str]) -> Reply:
        if who.is_group:
            return self._say(who, texts.PRIVATE_ONLY)
        if len(args) >= 2:
            try:
                member = self.union.link_by_code(who, args[0], args[1])
            except LinkRefused as exc:
                return self._say(who, str(exc))
            return self._say(who, texts.linked(member.name, member.unit_name), remove_keyboard=True)
        if self.caps.contact_button:
            return self._say(who, texts.LINK_PROMPT_CONTACT, request_contact=True)
        return self._say(who, texts.LINK_PROMPT_TYPED)

    def _link_phone(self, who: Who, phone: str) -> Reply:
        if who.is_group:
            return self._say(who, texts.PRIVATE_ONLY)
        try:
            member = self.union.link_by_phone(who, phone)
        except LinkRefused as exc:
            return self._say(who, str(exc), remove_keyboard=True)
        return self._say(who, texts.linked(member.name, member.unit_name), remove_keyboard=True)

    # ---- opening a case with consent -----------------------------------------------------------------

    def _start_case(self, who: Who) -> Reply:
        if who.is_group:
            return self._say(who, texts.PRIVATE_ONLY)
        conversation_id = self.assistant.conversation_id(who)
        if conversation_id is not None:
            case = self.union.current_case(conversation_id)
            if case is not None:
                return self._say(who, texts.case_in_progress(case.ref, case.unit_name, case.status_label))
        if not self.assistant.has_question(who):
            self.states.set(who.channel, who.key, Step("case_describe"))
            return self._say(who, texts.CASE_DESCRIBE)
        return self._ask_consent(who)

    def _ask_consent(self, who: Who) -> Reply:
        self.states.set(who.channel, who.key, Step("case_consent"))
        linked_member = self.union.member(who) is not None
        text = texts.consent(self.union.target_unit(who), linked_member)
        return Reply([OutgoingMessage.text(who.chat_id, text, buttons=texts.consent_buttons())])

    def _consent(self, who: Who, agreed: bool) -> Reply:
        self.states.clear(who.channel, who.key)
        if not agreed:
            return self._say(who, texts.CASE_DECLINED)
        conversation_id = self.assistant.conversation_id(who)
        if conversation_id is None:
            return self._say(who, texts.CASE_DESCRIBE)
        try:
            case = self.union.open_case(conversation_id, contact_phone=None)
        except CaseRefused as exc:
            return self._say(who, f"{exc} Bạn có thể gõ /lienket để liên kết hồ sơ đoàn viên.")
        return self._say(who, texts.case_opened(case.ref, case.unit_name, case.due, case.created))


def format_due(moment: datetime | None) -> str:
    from assistant.cases import format_vn

    return format_vn(moment) if moment else ""
