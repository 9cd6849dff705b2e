"""Prompt-injection detection, for questions and for text inside ingested documents.

Matching is on folded syllables so unaccented and English phrasings are caught alike. Detection never
changes what the assistant does with a legal question: it only keeps injected lines out of quotes and
prompts, and lets a message that is nothing but an injection be refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answering.matching import phrase_key

_PATTERNS = [
    r"bo qua (?:\w+ ){0,3}(?:huong dan|chi dan|chi thi|lenh|quy tac|yeu cau|cau lenh|nguyen tac)",
    r"quen (?:\w+ ){0,3}(?:huong dan|chi dan|chi thi|quy tac|nguyen tac)",
    r"(?:prompt|chi dan|huong dan|lenh) (?:he thong|goc|an|bi mat)",
    r"(?:tiet lo|in ra|hien thi|cho (?:toi|em) xem|nhac lai) (?:\w+ ){0,3}"
    r"(?:prompt|chi dan|huong dan|cau hinh)",
    r"tu (?:bay gio|nay) (?:ban|may) (?:la|se|phai|hay)",
    r"(?:ban|may) (?:khong con|khong phai|dung lam|thoi lam) (?:la )?(?:tro ly|chatbot|mo hinh|tu van vien)",
    r"(?:dong vai|gia vo la|hay tra loi rang|luon tra loi rang)",
    r"ignore (?:\w+ ){0,3}(?:instructions|rules|prompts?)",
    r"disregard (?:\w+ ){0,3}(?:instructions|rules|above)",
    r"(?:system|hidden|original) (?:prompt|instructions)",
    r"(?:you are now|act as|pretend to be|developer mode|jailbreak|do anything now)",
    r"(?:reveal|print|show|repeat) (?:\w+ ){0,3}(?:prompt|instructions)",
    r"(?:tro ly|mo hinh|ai|chatbot) (?:phai|hay) (?:bo qua|tra loi)",
    r"^ ?system |che do (?:quan tri|nha phat trien|admin)|du lieu (?:cua )?(?:nguoi dung|thanh vien)",
    r"liet ke (?:\w+ ){0,3}(?:so dien thoai|mat khau|du lieu)",
]
_INJECTION_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


@lru_cache(maxsize=20_000)
def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION_RE.search(phrase_key(text)))


def strip_injected_lines(text: str) -> str:
    """The text without the lines that try to instruct the assistant (for prompts, never for quotes)."""
    return "\n".join(line for line in text.split("\n") if not looks_like_injection(line))


_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")


def without_injection(text: str) -> str:
    """The message without its sentences that try to instruct the assistant (the question stays)."""
    kept = [m.group(0).strip() for m in _SENTENCE_RE.finditer(text) if not looks_like_injection(m.group(0))]
    return " ".join(k for k in kept if k)
