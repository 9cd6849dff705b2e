"""Vietnamese text handling: Unicode NFC, tone-mark placement, diacritic folding, word segmentation and the
colloquial → legal lexicon.

Workers write "nghi phep nam duoc may ngay", the law says "nghỉ hằng năm": every comparison between a question
and the corpus goes through :func:`fold` (and the lexicon) so both sides meet on the same keys.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import yaml

# Tone marks as combining characters (NFD): grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_WORD_RE = re.compile(r"\w+", re.UNICODE)
PLAIN_BELOW = 0.3
_AFTER_NUMBER_RE = re.compile(r"\d\s*$")
_TOKEN_RE = re.compile(r"\d\w*(?:[.,/-]\w+)*|[^\W_]+", re.UNICODE)


def nfc(text: str) -> str:
    """Unicode NFC: PDFs and Windows keyboards often deliver decomposed or mixed forms."""
    return unicodedata.normalize("NFC", text)


def _move_tone(first: str, second: str) -> str:
    """Put the tone of an open ``oa``/``oe``/``uy`` syllable on its first vowel (hoà → hòa, thuý → thúy)."""
    decomposed = unicodedata.normalize("NFD", second)
    tone = "".join(ch for ch in decomposed if ch in _TONES)
    bare = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", first + tone + bare)


# Only open syllables differ between the two placement styles: "hoàn", "thuyền" are the same in both.
# "quý" keeps its mark on y because the u belongs to "qu".
_OPEN_GLIDE_RE = re.compile(
    r"(?<![qQ])([oO])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ])(?!\w)|(?<![qQ])([uU])([ỳýỷỹỵỲÝỶỸỴ])(?!\w)"
)


def normalize_tone_marks(text: str) -> str:
    """NFC plus one tone-mark placement for open oa/oe/uy syllables: the style the legal corpus uses
    most (hòa, thỏa, khỏe, thủy, ủy), so the same word always has the same code points."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return _move_tone(match.group(1), match.group(2))
        return _move_tone(match.group(3), match.group(4))

    return _OPEN_GLIDE_RE.sub(replace, nfc(text))


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "d"}
    for code in range(0x00C0, 0x1EFF + 1):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base != char and len(base) == 1:
            table[code] = base.lower()
    for code in range(0x0300, 0x036F + 1):  # combining marks of decomposed input
        table[code] = None
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=20_000)
def fold(text: str) -> str:
    """Lowercase, strip every diacritic, đ → d: the key on which accented and unaccented text meet.

    Cached: the same clause texts are folded again for every question whose hits include them."""
    # A translation table: this runs on every question and every clause of every hit.
    return text.lower().translate(_FOLD)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (used to report question styles)."""
    return fold(text) != text.lower()


def marked_share(text: str) -> float:
    """Share of words that carry a mark: about 0.6-1.0 in accented Vietnamese, 0 when typed without."""
    words = _WORD_RE.findall(text)
    letters = [w for w in words if not w.isdigit()]
    if not letters:
        return 1.0
    return sum(1 for w in letters if fold(w) != w.lower()) / len(letters)


# underthesea's package __init__ imports these optional pipelines eagerly; when torch/transformers are
# installed (the sentence-transformers provider) that costs 3-12 s at every start. Segmentation needs none
# of them, so they are hidden during the import and stay importable afterwards.
_UNDERTHESEA_OPTIONAL = (
    "underthesea.pipeline.classification",
    "underthesea.pipeline.sentiment",
    "underthesea.pipeline.lang_detect",
    "underthesea.pipeline.dependency_parse",
    "underthesea.pipeline.translate",
    "underthesea.agent",
    "underthesea.address",
)


@lru_cache(maxsize=1)
def _word_tokenize() -> Callable[[str], list[str]]:
    hidden = [name for name in _UNDERTHESEA_OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        from underthesea import word_tokenize
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return word_tokenize


def segment(text: str) -> list[str]:
    """Word segmentation with underthesea ("người lao động" → ["người", "lao động"]).

    About 0.25 ms for a question once warm, so it runs on queries as well as at index time.
    """
    cleaned = normalize_tone_marks(text)
    if not cleaned.strip():
        return []
    return _word_tokenize()(cleaned)


def syllables(text: str) -> list[str]:
    """Folded syllables (and numbers such as 12, 01/2021, 4.960.000), punctuation dropped."""
    return list(_syllables(text))


@lru_cache(maxsize=20_000)
def _syllables(text: str) -> tuple[str, ...]:
    # Interned: the caches built on these (clause words, word pairs, BM25 counts) then share one string per
    # syllable instead of a copy per occurrence (for the shared corpus, 226 → 143 MB once prepared).
    return tuple(map(sys.intern, _TOKEN_RE.findall(fold(text))))


def index_tokens(text: str) -> list[str]:
    """Tokens for the lexical index and its queries: folded syllables plus each pair of adjacent syllables
    joined with "_" ("lao_dong", "hang_nam").

    Measured on the shared eval sets, syllable pairs beat underthesea's compounds (MRR@10 of BM25 alone
    0.84 vs 0.81 and 0.73 vs 0.63), and they are the same for a question typed with or without marks,
    which segmentation of an unaccented question is not.
    """
    parts = syllables(text)
    return parts + [f"{a}_{b}" for a, b in pairwise(parts)]


@dataclass(frozen=True)
class LexiconEntry:
    """Colloquial or abbreviated phrasings and the legal terms they stand for."""

    terms: tuple[str, ...]
    legal: tuple[str, ...]


def _folded_phrase(text: str) -> str:
    return " ".join(syllables(text))


class Lexicon:
    """Curator-editable colloquial → legal lexicon, matched on folded text so "nghi de" expands like
    "nghỉ đẻ".

    The YAML file holds ``entries: [{terms: [...], legal: [...]}]`` and ``phrases: [...]``.
    """

    def __init__(
        self, entries: Iterable[LexiconEntry], phrases: Iterable[str] = (), shorthand: Mapping[str, str] | None = None
    ) -> None:
        # Teen code, abbreviations and regional words ("ko", "dc", "cty", "hổng") → the words they stand for.
        # A form written with marks matches only when typed with those marks: "hổng" is "không", "hong" may
        # be "hỏng". A form without marks matches however it was typed ("đc" as "dc").
        self.shorthand: dict[str, str] = {}
        self.marked_shorthand: dict[str, str] = {}
        for key, value in (shorthand or {}).items():
            typed = normalize_tone_marks(key).strip().lower()
            # "đ" alone does not count as a mark: "hđ" is typed "hd" as often.
            if fold(typed) != typed.replace("đ", "d"):
                self.marked_shorthand[typed] = nfc(value)
            else:
                self.shorthand[fold(typed)] = nfc(value)
        self.entries = tuple(entries)
        # Accented examples of how questions are asked: they teach the diacritic restorer everyday words.
        self.phrases = tuple(phrases)
        # Each entry's colloquial terms as folded word sequences, looked up by the question's word n-grams
        # (a set lookup per n-gram instead of a substring search per term: this runs twice per question).
        self._legal = [tuple((term, _folded_phrase(term)) for term in entry.legal) for entry in self.entries]
        self._entries_of: dict[str, list[int]] = {}
        for index, entry in enumerate(self.entries):
            for term in entry.terms:
                key = _folded_phrase(term)
                if key and index not in self._entries_of.get(key, []):
                    self._entries_of.setdefault(key, []).append(index)
        self._longest = max((key.count(" ") + 1 for key in self._entries_of), default=0)
        self._spelled = lru_cache(maxsize=4096)(self._spell_out)
        self._marked_terms: dict[str, set[str]] = {}
        for entry in self.entries:
            for term in entry.terms:
                marked_term = " ".join(_TOKEN_RE.findall(normalize_tone_marks(term).lower()))
                self._marked_terms.setdefault(_folded_phrase(term), set()).add(marked_term)

    def fingerprint(self) -> tuple[object, ...]:
        """Everything that decides how the lexicon reads a text (hashable: equal lexicons, equal fingerprints)."""
        return (
            self.entries,
            self.phrases,
            tuple(sorted(self.shorthand.items())),
            tuple(sorted(self.marked_shorthand.items())),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Read the lexicon at ``path``, or the packaged assistant/data/lexicon.yaml."""
        if path is None:
            raw = resources.files("assistant").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8")
        return cls.from_yaml(raw)

    @classmethod
    def from_yaml(cls, raw: str) -> Lexicon:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(raw, Loader=loader) or {}
        entries = [
            LexiconEntry(terms=_strings(item.get("terms", [])), legal=_strings(item.get("legal", [])))
            for item in data.get("entries", [])
        ]
        shorthand = data.get("shorthand") or {}
        if not isinstance(shorthand, dict):
            raise ValueError("lexicon shorthand must map each abbreviation to its words")
        return cls(entries, _strings(data.get("phrases", [])), {str(k): str(v) for k, v in shorthand.items()})

    def texts(self) -> list[str]:
        """Every accented string of the lexicon: terms, legal terms and phrases (diacritic model input)."""
        words = [t for entry in self.entries for t in (*entry.terms, *entry.legal)]
        return [*words, *self.phrases]

    def spell_out(self, query: str) -> str:
        """The query with teen code and abbreviations written out ("cty ko tra luong" → "công ty không tra
        luong"): e5 and the diacritic restorer only know whole words."""
        if not (self.shorthand or self.marked_shorthand):
            return query
        # Cached: scope, search, triage and the generator each spell out the same message.
        return self._spelled(query)

    def _spell_out(self, query: str) -> str:
        # Written out the way the rest was typed, so a question typed without marks still reads as one
        # (the diacritic restorer decides on the share of marked words).
        plain = marked_share(query) < PLAIN_BELOW

        def replace(match: re.Match[str]) -> str:
            typed = match.group(0)
            lowered = normalize_tone_marks(typed).lower()
            words = self.marked_shorthand.get(lowered)
            # A form written without marks stands for a word typed without them: "tui" is "tôi", "tụi" is not.
            unmarked = fold(lowered) == lowered.replace("đ", "d")
            if words is None and unmarked and not _AFTER_NUMBER_RE.search(query, 0, match.start()):
                words = self.shorthand.get(fold(typed))
            if words is None:
                return typed
            return fold(words) if plain else words

        return _WORD_RE.sub(replace, query)

    def colloquial_terms(self, query: str, min_words: int = 1) -> list[str]:
        """The lexicon's colloquial terms (folded) that occur in the query, of at least ``min_words`` words.

        Where the question's words carry marks they must match the term's marks too: folded, "bị phát hiện"
        holds "bị phạt". Words typed without marks match on the folded form alone."""
        tokens = syllables(query)
        marked = _TOKEN_RE.findall(normalize_tone_marks(query).lower())
        if len(marked) != len(tokens):
            marked = tokens
        found = []
        for size in range(max(min_words, 1), self._longest + 1):
            for start in range(len(tokens) - size + 1):
                key = " ".join(tokens[start : start + size])
                if key not in self._entries_of:
                    continue
                typed = " ".join(marked[start : start + size])
                if typed == key or typed in self._marked_terms.get(key, ()):
                    found.append(key)
        return found

    def legal_terms(self, query: str) -> list[str]:
        """The legal terms whose colloquial forms occur in the query, in lexicon order, without repeats."""
        tokens = syllables(query)
        folded = f" {' '.join(tokens)} "
        matched: set[int] = set()
        for size in range(1, self._longest + 1):
            for start in range(len(tokens) - size + 1):
                matched.update(self._entries_of.get(" ".join(tokens[start : start + size]), ()))
        found: list[str] = []
        seen: set[str] = set()
        contradicted = [f" {other} " for word, other in _CONTRARY if f" {word} " in folded]
        for index in sorted(matched):
            for term, key in self._legal[index]:
                if any(c in f" {key} " for c in contradicted):
                    continue
                if key not in seen and f" {key} " not in folded:
                    seen.add(key)
                    found.append(term)
        return found

    def expand(self, query: str) -> str:
        """The query followed by the legal terms it implies; unchanged when nothing matches."""
        extra = self.legal_terms(query)
        return f"{query} {' '.join(extra)}" if extra else query


# A legal term the question contradicts is not added: "tỷ lệ đóng" stands for the compulsory scheme's terms, but not
# in "tỷ lệ đóng bảo hiểm xã hội tự nguyện" (folded: the question's word, then the word it rules out). Not the other
# way round: "có bắt buộc không" mostly asks whether something is required, not about the compulsory scheme.
# "Cộng dồn" keeps one's social insurance years (bảo lưu), but "phép năm … cộng dồn sang năm sau" is annual leave.
_CONTRARY = (("tu nguyen", "bat buoc"), ("phep nam", "bao luu"), ("ngay phep", "bao luu"))


def _strings(values: Sequence[object] | object) -> tuple[str, ...]:
    if isinstance(values, str):
        return (nfc(values),)
    if not isinstance(values, Sequence):
        raise ValueError(f"lexicon entry must be a list of strings, got {values!r}")
    return tuple(nfc(str(v)) for v in values if str(v).strip())
