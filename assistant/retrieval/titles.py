"""Whether a question spells out an article's whole title ("nguyên tắc giao kết hợp đồng lao động là gì")."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.vietnamese import syllables

# Shorter titles ("Tiền lương", "Thử việc") are words of everyday questions, not a question about the article.
MIN_TITLE_SYLLABLES = 3
_HEADING_PREFIX = re.compile(r"^Điều\s+\S+?\.\s*")


@lru_cache(maxsize=8_192)
def title_words(heading: str) -> str:
    """The article's title as folded syllables padded with spaces, or "" when too short to count."""
    title = syllables(_HEADING_PREFIX.sub("", heading))
    return f" {' '.join(title)} " if len(title) >= MIN_TITLE_SYLLABLES else ""


def question_words(question: str) -> str:
    """The question as folded syllables padded with spaces, for ``names_title``."""
    return f" {' '.join(syllables(question))} "


def names_title(asked: str, heading: str) -> bool:
    """``asked`` is ``question_words(question)``: computed once, checked against many headings."""
    title = title_words(heading)
    return bool(title) and title in asked
