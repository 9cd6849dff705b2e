"""History-aware query rewriting: "còn hợp đồng dưới 12 tháng thì sao?" is searched together with the
question it follows, so retrieval and the answer keep the topic of the conversation.

Deterministic on purpose (the same for the extractive and the LLM generator): a follow-up is a short
message, or one that opens or closes like a follow-up ("còn ...", "... thì sao?"); it is joined to the
previous standalone question. A message that names its own topic stands alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.matching import content_words, phrase_key, words
from assistant.answering.scope import classify

_OPENERS = (
    "con",
    "the con",
    "vay con",
    "vay thi",
    "vay neu",
    "the neu",
    "neu",
    "truong hop",
    "con truong hop",
    "nhu vay",
    "vay",
    "the",
    "thi",
    "va",
    "con neu",
    "ngoai ra",
    "rieng",
    "doi voi",
    "con doi voi",
)
_CLOSERS = ("thi sao", "thi the nao", "the thi sao", "thi ra sao", "sao", "nua khong", "thi co khong")
_REFERRING = (
    "truong hop do",
    "truong hop nay",
    "viec do",
    "viec nay",
    "dieu do",
    "nhu tren",
    "khi do",
    "luc do",
    "tinh huong nay",
    "tinh huong do",
    "cong viec nay",
    "vu nay",
    "vu viec nay",
)
SHORT_MESSAGE_WORDS = 3


def is_followup(message: str) -> bool:
    key = phrase_key(message).strip()
    if not key:
        return False
    starts = any(key == o or key.startswith(f"{o} ") for o in _OPENERS)
    ends = any(key == c or key.endswith(f" {c}") for c in _CLOSERS)
    if starts or ends or refers_back(message):
        return True
    # A short message with no subject of its own ("mấy ngày?") continues; "giá vàng?" does not.
    return (
        len(content_words(words(message))) <= SHORT_MESSAGE_WORDS and classify(message).verdict == "unknown"
    )


def refers_back(message: str) -> bool:
    """Whether the message points at a situation told earlier ("trường hợp này", "tình huống đó")."""
    key = f" {phrase_key(message).strip()} "
    return any(f" {r} " in key for r in _REFERRING)


def standalone_query(message: str, previous_queries: Sequence[str]) -> str:
    """The query to search for: the message itself, or the previous standalone query plus the message."""
    if not previous_queries or not is_followup(message) or classify(message).refuse:
        return message.strip()
    return f"{previous_queries[-1].strip()} {message.strip()}"
