"""Which articles a provision refers to: of a law by name ("theo khoản 1 Điều 98 của Bộ luật Lao động") or of
its own law or decree ("Điều 37 của Bộ luật này").

A decree article that details a law article names it: Điều 55 of Nghị định 145/2020 ("Tiền lương làm thêm
giờ") points at Điều 98 of the Labour Code, Điều 4 of Nghị định 135/2020 at Điều 169. Members ask in words
that fit both; a union lawyer cites the law and the decree that details it together.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.vietnamese import syllables

# The laws the corpus holds, as their names read once folded (decrees are never cited by name this way).
LAW_NAMES = (
    "bo luat lao dong",
    "luat bao hiem xa hoi",
    "luat an toan ve sinh lao dong",
    "luat cong doan",
    "luat viec lam",
)
# A provision's own law or decree ("Điều 37 của Bộ luật này").
SELF = "nay"
_REFERENCE = re.compile(
    rf"\bdieu ((?:\d+[a-z]? (?:va )?)+)(?:cua )?({'|'.join(LAW_NAMES)}|bo luat nay|luat nay|nghi dinh nay)\b"
)
_YEAR = re.compile(r" \d{4}$")


def law_name(document_title: str) -> str | None:
    """The folded name a law is referred to by ("Bộ luật Lao động 2019" → "bo luat lao dong"), or None."""
    name = _YEAR.sub("", " ".join(syllables(document_title)))
    return name if name in LAW_NAMES else None


@lru_cache(maxsize=4096)
def referenced_articles(text: str) -> frozenset[tuple[str, int]]:
    """(law name, article number) for every article of a named law that ``text`` refers to."""
    found: set[tuple[str, int]] = set()
    for match in _REFERENCE.finditer(" ".join(syllables(text))):
        law = SELF if match.group(2).endswith(" nay") else match.group(2)
        for number in re.findall(r"\d+", match.group(1)):
            found.add((law, int(number)))
    return frozenset(found)


def refers_to(text: str, document_title: str, article: int, same_work: bool = False) -> bool:
    """Whether ``text`` names that article: of that law, or (``same_work``) of the text's own law or decree."""
    if same_work:
        return (SELF, article) in referenced_articles(text)
    name = law_name(document_title)
    return name is not None and (name, article) in referenced_articles(text)
