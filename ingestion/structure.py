"""Structure of a Vietnamese legal text: header, Phần/Chương/Mục, Điều, khoản, điểm, footnotes.

The parser works line by line on text that loaders produced (one paragraph per line). It is
deliberately strict about what starts a new unit, because real texts quote other provisions:
an ``Điều N.`` line only opens an article when N is the next number, clause and point labels
must continue their sequence, and nothing inside a quotation (“…”) opens anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ingestion.errors import StructureError
from ingestion.footnotes import split_notes, strip_markers

POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"

_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,4})([a-zđ]?)\s*[.:]\s*(.*)$")
_CLAUSE = re.compile(r"^(\d{1,3})([a-zđ]?)\.(?!\d)\s*(.*)$")
_POINT = re.compile(r"^([a-zđ])(\d?)\)\s*(.*)$")
_POINT_DOTTED = re.compile(r"^([a-zđ])\.\s+(\S.*)$")  # "a. Được tham gia…" (Điều lệ style)
_PART = re.compile(r"^(?:PHẦN|Phần)\s+((?:THỨ|thứ)\s+\S+|[IVXLC]+|\d+)\b\s*[.:\-–]?\s*(.*)$")
_CHAPTER = re.compile(r"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)([a-z]?)\b\s*[.:\-–]?\s*(.*)$")
_SECTION = re.compile(r"^(?:MỤC|Mục)\s+(\d+|[IVXLC]+)\b\s*[.:\-–]?\s*(.*)$")
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)((?:\s+(?:số|SỐ))?\s+[IVXLC\d]+[a-z]?)?\s*[.:\-–]?\s*(.*)$")
_SIGNATURE = re.compile(
    r"^(?:Nơi nhận\b|TM\.\s|KT\.\s|Q\.\s|CHỦ TỊCH\b|PHÓ CHỦ TỊCH\b|CHỦ NHIỆM\b|THỦ TƯỚNG\b"
    r"|BỘ TRƯỞNG\b|VĂN PHÒNG QUỐC HỘI\b|XÁC THỰC VĂN BẢN HỢP NHẤT\b|\(Đã ký\))"
)
_PASSED = re.compile(
    r"^(?:Bộ luật|Luật|Nghị quyết|Pháp lệnh) này (?:đã )?được "
    r"(?:Quốc hội|Ủy ban Thường vụ Quốc hội).*thông qua"
)
_MAX_QUOTED_LINES = 150
_RECIPIENTS_INLINE = re.compile(r"\s+Nơi nhận\s*:")

_NUMBER = re.compile(
    r"(?<!\w)(?:Bộ luật |Luật |Nghị quyết |Pháp lệnh )?[Ss]ố\s*:\s*(\d{1,5})\s*/\s*([\w\-/]+)"
)
_ATTACHED_NUMBER = re.compile(
    r"kèm theo (?:Quyết định|Nghị định|Thông tư|Nghị quyết) số\s+(\d{1,5}/[\w\-/]+)", re.IGNORECASE
)
_PLACE_DATE = re.compile(r"[A-ZĐ][^\d,\n]{1,40},\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_PASSED_DATE = re.compile(r"thông qua ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_SLASH_DATE = re.compile(r"số\s+\S+\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")
_ENACTING = re.compile(
    r"^(Quốc hội|Chính phủ|Ủy ban Thường vụ Quốc hội|Thủ tướng Chính phủ|Bộ trưởng [^,;]+?"
    r"|Đoàn Chủ tịch [^,;]+?|Ban Chấp hành [^,;]+?) ban hành (.+?)\.?$"
)
_CONSOLIDATED = re.compile(r"^(.+?) số (\d{1,5}/\d{4}/[\w\-]+) ngày .*được sửa đổi, bổ sung bởi")
_AMENDING_LAW = re.compile(r"^\d+\.\s.*?số (\d{1,5}/\d{4}/[\w\-]+)")

_DOC_TYPES = (
    ("BỘ LUẬT", "Bộ luật"),
    ("LUẬT", "Luật"),
    ("NGHỊ ĐỊNH", "Nghị định"),
    ("NGHỊ QUYẾT", "Nghị quyết"),
    ("QUYẾT ĐỊNH", "Quyết định"),
    ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
    ("THÔNG TƯ", "Thông tư"),
    ("PHÁP LỆNH", "Pháp lệnh"),
    ("ĐIỀU LỆ", "Điều lệ"),
    ("CHỈ THỊ", "Chỉ thị"),
    ("QUY CHẾ", "Quy chế"),
    ("QUY ĐỊNH", "Quy định"),
    ("HƯỚNG DẪN", "Hướng dẫn"),
)
_TYPE_BY_CODE = {"NĐ": "Nghị định", "QĐ": "Quyết định", "TT": "Thông tư", "NQ": "Nghị quyết", "CT": "Chỉ thị"}
_ISSUERS = {
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "VPQH": "Văn phòng Quốc hội",
    "CP": "Chính phủ",
    "TTG": "Thủ tướng Chính phủ",
    "TLĐ": "Tổng Liên đoàn Lao động Việt Nam",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính",
    "BYT": "Bộ Y tế",
}
_ISSUER_LINES = {
    "VĂN PHÒNG QUỐC HỘI": "Văn phòng Quốc hội",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI": "Ủy ban Thường vụ Quốc hội",
    "QUỐC HỘI": "Quốc hội",
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
    "CHÍNH PHỦ": "Chính phủ",
    "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM": "Tổng Liên đoàn Lao động Việt Nam",
}
_PROPER_WORDS = {"việt nam": "Việt Nam", "hà nội": "Hà Nội"}


@dataclass
class ParsedPoint:
    label: str  # "a", "đ", "a1"
    text: str
    footnotes: list[int] = field(default_factory=list)


@dataclass
class ParsedClause:
    number: str  # "1", "8a"
    text: str  # lead text without "1." and without footnote markers, continuation lines joined by \n
    points: list[ParsedPoint] = field(default_factory=list)
    footnotes: list[int] = field(default_factory=list)


@dataclass
class ParsedArticle:
    number: int
    label: str  # "139", "92a"
    title: str
    part: str | None
    chapter: str | None
    section: str | None
    intro: str  # text before the first clause (whole body if there are no clauses)
    clauses: list[ParsedClause]
    text: str  # the body as it reads, labels kept, markers removed; every clause/point text is in it
    footnotes: list[int]  # every marker seen in the article, title included
    points: list[ParsedPoint] = field(default_factory=list)  # points directly under the article


@dataclass
class DocumentHeader:
    number: str | None
    doc_type: str | None
    issuer: str | None
    issued_on: date | None
    title: str | None
    consolidates: str | None = None  # a consolidated text: the number of the law it consolidates
    amended_by: list[str] = field(default_factory=list)  # … and the laws it merges into it


@dataclass
class ParsedDocument:
    header: DocumentHeader
    articles: list[ParsedArticle]
    footnotes: dict[int, str]  # marker -> note text
    appendices: list[str]  # titles of the Phụ lục, kept out of the articles
    # markers found outside any article (title, chapter headings): marker -> where it was seen
    footnote_anchors: dict[int, str] = field(default_factory=dict)


@dataclass
class _Line:
    text: str
    markers: list[int]
    quoted: bool  # the line starts inside a quotation opened on an earlier line


@dataclass
class _Heading:
    kind: str  # "part" | "chapter" | "section"
    label: str | None
    title: str = ""

    def render(self) -> str:
        if self.label and self.title:
            return f"{self.label}. {self.title}"
        return self.label or self.title


@dataclass
class _Context:
    part: str | None = None
    chapter: str | None = None
    section: str | None = None

    def enter(self, heading: _Heading) -> None:
        name = heading.render()
        if heading.kind == "part":
            self.part, self.chapter, self.section = name, None, None
        elif heading.kind == "chapter":
            self.chapter, self.section = name, None
        else:
            self.section = name


@dataclass
class _RawArticle:
    number: int
    letter: str
    title: str
    title_markers: list[int]
    context: _Context
    body: list[_Line] = field(default_factory=list)


def parse_document(text: str) -> ParsedDocument:
    """Parse a whole legal text; raises StructureError when no article is found."""
    lines = _prepare_lines(text)
    body_lines, notes = split_notes(lines, _last_heading_index(lines))
    cleaned = _strip_and_track_quotes(body_lines)
    scan = _Scanner(cleaned)
    scan.run()
    if not scan.articles:
        raise StructureError(
            "Không tìm thấy điều nào (dòng bắt đầu bằng “Điều 1.”) trong văn bản. Hãy kiểm tra đây "
            "có đúng là văn bản quy phạm pháp luật và tệp không bị lỗi phông chữ hay mất dòng."
        )
    articles = [_build_article(raw) for raw in scan.articles]
    header = _read_header(scan.preamble, scan.tail)
    return ParsedDocument(
        header=header,
        articles=articles,
        footnotes=notes,
        appendices=_appendix_titles(scan.tail),
        footnote_anchors=scan.anchors,
    )


def _prepare_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "").replace("\u200b", "")
    return [" ".join(line.split()) for line in text.split("\n")]


def _last_heading_index(lines: list[str]) -> int:
    last = -1
    for index, line in enumerate(lines):
        if _ARTICLE.match(line):
            last = index
    return last


def _strip_and_track_quotes(lines: list[str]) -> list[_Line]:
    result: list[_Line] = []
    depth = 0
    open_for = 0
    for line in lines:
        clean, markers = strip_markers(line)
        if depth and clean:
            open_for += 1
            if open_for > _MAX_QUOTED_LINES:
                depth = 0  # a closing quote lost in conversion must not hide the rest of the text
        result.append(_Line(clean, markers, quoted=depth > 0))
        depth = max(0, depth + clean.count("“") - clean.count("”"))
        if not depth:
            open_for = 0
    return result


class _Scanner:
    """Walks the lines once: preamble, then articles, then the tail (signatures, appendices)."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.preamble: list[_Line] = []
        self.articles: list[_RawArticle] = []
        self.tail: list[_Line] = []
        self.anchors: dict[int, str] = {}
        self.context = _Context()
        self._heading_positions = self._find_heading_numbers()

    def _find_heading_numbers(self) -> dict[int, list[int]]:
        positions: dict[int, list[int]] = {}
        for index, line in enumerate(self.lines):
            match = _ARTICLE.match(line.text)
            if match and not match.group(2):
                positions.setdefault(int(match.group(1)), []).append(index)
        return positions

    def run(self) -> None:
        current: list[_Line] = self.preamble
        for index, line in enumerate(self.lines):
            if self.tail or (self.articles and self._ends_articles(line)):
                self._to_tail(line)
                continue
            match = None if line.quoted else _ARTICLE.match(line.text)
            if match and self._accepts(int(match.group(1)), match.group(2), index):
                self._take_headings(current)
                article = self._open_article(match, index)
                self.articles.append(article)
                current = article.body
            elif line.text:
                current.append(line)
        if self.articles:
            # Headings after the last article belong to nothing; keep them out of its text.
            self._take_headings(self.articles[-1].body)
        for line in self.preamble:
            for marker in line.markers:
                self.anchors.setdefault(marker, "phần mở đầu")

    def _to_tail(self, line: _Line) -> None:
        if not self.tail and _RECIPIENTS_INLINE.search(line.text):
            head, _, rest = line.text.partition(" Nơi nhận")
            self.articles[-1].body.append(_Line(head, line.markers, line.quoted))
            self.tail.append(_Line("Nơi nhận" + rest, [], False))
            return
        self.tail.append(line)

    def _ends_articles(self, line: _Line) -> bool:
        if line.quoted:
            return False
        text = line.text
        if _SIGNATURE.match(text) or _PASSED.match(text) or _is_appendix_heading(text):
            return True
        return bool(_RECIPIENTS_INLINE.search(text))

    def _accepts(self, number: int, letter: str, index: int) -> bool:
        if not self.articles:
            return number == 1 or not self._appears_later(1, index)
        previous = self.articles[-1]
        if letter:
            return number == previous.number and _next_letter(previous.letter) == letter
        if number == previous.number + 1:
            return True
        # A missing article in the source must not swallow the rest of the text.
        gap = previous.number + 1 < number <= previous.number + 5
        return gap and not self._appears_later(previous.number + 1, index)

    def _appears_later(self, number: int, index: int) -> bool:
        return any(position > index for position in self._heading_positions.get(number, []))

    def _open_article(self, match: re.Match[str], index: int) -> _RawArticle:
        title = match.group(3).strip()
        markers = list(self.lines[index].markers)
        return _RawArticle(
            number=int(match.group(1)),
            letter=match.group(2),
            title=title,
            title_markers=markers,
            context=_Context(self.context.part, self.context.chapter, self.context.section),
        )

    def _take_headings(self, lines: list[_Line]) -> None:
        """Move the heading lines that end ``lines`` (Chương…, Mục…) into the context."""
        start = len(lines)
        while start > 0 and _is_heading_line(lines[start - 1]):
            start -= 1
        block = lines[start:]
        del lines[start:]
        for heading, markers in _read_headings(block):
            self.context.enter(heading)
            for marker in markers:
                self.anchors.setdefault(marker, heading.render())


def _next_letter(letter: str) -> str | None:
    if not letter:
        return "a"
    position = POINT_LETTERS.find(letter)
    return POINT_LETTERS[position + 1] if 0 <= position < len(POINT_LETTERS) - 1 else None


def _is_upper_title(text: str) -> bool:
    if len(text) >= 300 or any(char.islower() for char in text):
        return False
    return sum(char.isalpha() for char in text) >= 2


_HEADING_KINDS = (("part", _PART, "Phần"), ("chapter", _CHAPTER, "Chương"), ("section", _SECTION, "Mục"))


def _labelled_heading(text: str) -> _Heading | None:
    for kind, pattern, word in _HEADING_KINDS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groups()
        title = groups[-1].strip()
        if title and not _is_upper_title(title):
            return None  # "Chương IV của Bộ luật này…" is a sentence, not a heading
        number = "".join(groups[:-1])
        if kind == "part" and number.upper().startswith("THỨ"):
            number = "thứ " + number.split(maxsplit=1)[1].lower()
        return _Heading(kind, f"{word} {number}", title)
    return None


def _is_heading_line(line: _Line) -> bool:
    if line.quoted or "“" in line.text or "”" in line.text:
        return False
    text = line.text
    if _labelled_heading(text) is not None:
        return True
    return _is_upper_title(text) and not _CLAUSE.match(text) and not _SIGNATURE.match(text)


def _read_headings(block: list[_Line]) -> list[tuple[_Heading, list[int]]]:
    headings: list[tuple[_Heading, list[int]]] = []
    continues_title = False
    for line in block:
        labelled = _labelled_heading(line.text)
        if labelled is not None:
            headings.append((labelled, list(line.markers)))
            continues_title = not labelled.title
            continue
        if headings and (continues_title or headings[-1][0].title):
            heading, markers = headings[-1]
            heading.title = f"{heading.title} {line.text}".strip()
            markers.extend(line.markers)
            continues_title = False
            continue
        # An unlabelled capitalised line (texts that lost "Chương N") names a chapter.
        headings.append((_Heading("chapter", None, line.text), list(line.markers)))
    return headings


def _is_appendix_heading(text: str) -> bool:
    match = _APPENDIX.match(text)
    if match is None or len(text) > 200:
        return False
    rest = match.group(2).strip()
    return not rest or _is_upper_title(rest)


def _appendix_titles(tail: list[_Line]) -> list[str]:
    titles: list[str] = []
    for index, line in enumerate(tail):
        if not _is_appendix_heading(line.text):
            continue
        match = _APPENDIX.match(line.text)
        assert match is not None
        label = "Phụ lục" + (match.group(1) or "").replace("SỐ", "số")
        title = match.group(2).strip()
        following = tail[index + 1].text if index + 1 < len(tail) else ""
        if not title and _is_upper_title(following) and not _is_appendix_heading(following):
            title = following
        name = f"{label}. {title}" if title else label
        if name not in titles:
            titles.append(name)
    return titles


# --- articles, clauses, points ------------------------------------------------------------


@dataclass
class _Unit:
    lead: str
    rest: list[str] = field(default_factory=list)
    markers: list[int] = field(default_factory=list)

    def text(self) -> str:
        parts = [self.lead, *self.rest] if self.lead else self.rest
        return "\n".join(parts)


@dataclass
class _PointDraft:
    label: str
    unit: _Unit


@dataclass
class _ClauseDraft:
    number: int
    letter: str
    unit: _Unit
    points: list[_PointDraft] = field(default_factory=list)


class _ArticleBuilder:
    def __init__(self) -> None:
        self.intro = _Unit("")
        self.points: list[_PointDraft] = []  # points before any clause
        self.clauses: list[_ClauseDraft] = []
        self.rendered: list[str] = []
        self.markers: list[int] = []

    def add(self, line: _Line) -> None:
        self.markers.extend(line.markers)
        clause = None if line.quoted else _CLAUSE.match(line.text)
        if clause and self._clause_follows(int(clause.group(1)), clause.group(2)):
            self._open_clause(clause, line)
            return
        point = None if line.quoted else _point_match(line.text)
        if point and self._point_follows(point[0]):
            self._open_point(point, line)
            return
        self._continue(line)

    def _clause_follows(self, number: int, letter: str) -> bool:
        if not self.clauses:
            return number == 1 and not letter
        last = self.clauses[-1]
        if letter:
            return number == last.number and _next_letter(last.letter) == letter
        return number == last.number + 1

    def _open_clause(self, match: re.Match[str], line: _Line) -> None:
        label = match.group(1) + match.group(2)
        lead = match.group(3).strip()
        unit = _Unit(lead, [], list(line.markers))
        self.clauses.append(_ClauseDraft(int(match.group(1)), match.group(2), unit))
        self.rendered.append(f"{label}. {lead}".rstrip())

    def _current_points(self) -> list[_PointDraft]:
        return self.clauses[-1].points if self.clauses else self.points

    def _point_follows(self, label: str) -> bool:
        points = self._current_points()
        if not points:
            return label == "a"
        return label in _successors(points[-1].label)

    def _open_point(self, point: tuple[str, str, str], line: _Line) -> None:
        label, delimiter, lead = point
        self._current_points().append(_PointDraft(label, _Unit(lead, [], list(line.markers))))
        self.rendered.append(f"{label}{delimiter} {lead}".rstrip())

    def _continue(self, line: _Line) -> None:
        points = self._current_points()
        if points:
            unit = points[-1].unit
        elif self.clauses:
            unit = self.clauses[-1].unit
        else:
            unit = self.intro
        unit.rest.append(line.text)
        unit.markers.extend(line.markers)
        self.rendered.append(line.text)


def _point_match(text: str) -> tuple[str, str, str] | None:
    match = _POINT.match(text)
    if match:
        return match.group(1) + match.group(2), ")", match.group(3).strip()
    dotted = _POINT_DOTTED.match(text)
    if dotted:
        return dotted.group(1), ".", dotted.group(2).strip()
    return None


def _successors(label: str) -> set[str]:
    letter, digits = label[0], label[1:]
    following = {f"{letter}{int(digits) + 1}" if digits else f"{letter}1"}
    nxt = _next_letter(letter)
    if nxt:
        following.add(nxt)
    return following


def _unique(markers: list[int]) -> list[int]:
    return list(dict.fromkeys(markers))


def _build_points(drafts: list[_PointDraft]) -> list[ParsedPoint]:
    return [ParsedPoint(d.label, d.unit.text(), _unique(d.unit.markers)) for d in drafts]


def _build_article(raw: _RawArticle) -> ParsedArticle:
    builder = _ArticleBuilder()
    title_lines = list(raw.body)
    title = raw.title
    if not title and title_lines and not _CLAUSE.match(title_lines[0].text):
        # "Điều 5." alone on its line: the title is the next line.
        first = title_lines.pop(0)
        title = first.text
        raw.title_markers.extend(first.markers)
    for line in title_lines:
        builder.add(line)
    clauses = [
        ParsedClause(
            number=f"{draft.number}{draft.letter}",
            text=draft.unit.text(),
            points=_build_points(draft.points),
            footnotes=_unique(draft.unit.markers),
        )
        for draft in builder.clauses
    ]
    return ParsedArticle(
        number=raw.number,
        label=f"{raw.number}{raw.letter}",
        title=title,
        part=raw.context.part,
        chapter=raw.context.chapter,
        section=raw.context.section,
        intro=builder.intro.text(),
        clauses=clauses,
        text="\n".join(builder.rendered),
        footnotes=_unique(raw.title_markers + builder.markers),
        points=_build_points(builder.points),
    )


# --- header -------------------------------------------------------------------------------


def _read_header(preamble: list[_Line], tail: list[_Line]) -> DocumentHeader:
    head = [line.text for line in preamble]
    sign = [line.text for line in _signature_block(tail)]
    number = _find_number(head) or _find_number(sign)
    consolidates, amended_by = _consolidation(head)
    enacting = _enacting(head)
    return DocumentHeader(
        number=number,
        doc_type=_doc_type(head, number, enacting),
        issuer=_issuer(head, number, enacting),
        issued_on=_issue_date(head, sign),
        title=_title(head, enacting),
        consolidates=consolidates,
        amended_by=amended_by,
    )


def _signature_block(tail: list[_Line]) -> list[_Line]:
    for index, line in enumerate(tail):
        if _is_appendix_heading(line.text):
            return tail[:index]
    return tail


def _find_number(lines: list[str]) -> str | None:
    for line in lines:
        match = _NUMBER.search(line)
        if match:
            return f"{match.group(1)}/{match.group(2)}".rstrip(".,;:/-")
    for line in lines:
        attached = _ATTACHED_NUMBER.search(line)
        if attached:
            return attached.group(1).rstrip(".,;:/-")
    return None


def _enacting(lines: list[str]) -> tuple[str, str] | None:
    for line in lines:
        match = _ENACTING.match(line)
        if match:
            return match.group(1), match.group(2).strip()
    return None


def _number_code(number: str | None) -> str | None:
    if not number:
        return None
    code = re.split(r"[/\-]", number)[-1]
    return re.sub(r"\d+$", "", code).upper() or None


def _doc_type(lines: list[str], number: str | None, enacting: tuple[str, str] | None) -> str | None:
    if number and "VBHN" in number.upper():
        return "Văn bản hợp nhất"
    for line in lines[:40]:
        if not _is_upper_title(line):
            continue
        for upper, name in _DOC_TYPES:
            if line == upper or line.startswith(upper + " "):
                return name
    for line in lines:
        for prefix, name in (("Bộ luật số:", "Bộ luật"), ("Luật số:", "Luật")):
            if prefix in line:
                return name
    if enacting:
        for _, name in _DOC_TYPES:
            if enacting[1].startswith(name):
                return name
    if number:
        for code, name in _TYPE_BY_CODE.items():
            if re.search(rf"(?:^|/){code}(?:-|$)", number):
                return name
    return None


def _issuer(lines: list[str], number: str | None, enacting: tuple[str, str] | None) -> str | None:
    code = _number_code(number)
    if code in _ISSUERS:
        return _ISSUERS[code]
    for line in lines[:5]:
        for upper, name in _ISSUER_LINES.items():
            if line.startswith(upper):
                return name
    if enacting and enacting[0] in _ISSUERS.values():
        return enacting[0]
    return None


def _issue_date(head: list[str], sign: list[str]) -> date | None:
    # The place-and-date line of the header first; a consolidated text carries it at the end.
    searches = ((_PLACE_DATE, head), (_PLACE_DATE, sign), (_PASSED_DATE, sign), (_SLASH_DATE, head))
    for pattern, lines in searches:
        for line in lines:
            match = pattern.search(line)
            if match:
                found = _date(*match.groups())
                if found:
                    return found
    return None


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _title(lines: list[str], enacting: tuple[str, str] | None) -> str | None:
    if enacting:
        return enacting[1]
    for index, line in enumerate(lines[:40]):
        if not _is_upper_title(line):
            continue
        for upper, name in _DOC_TYPES:
            if line == upper or line.startswith(upper + " "):
                return _title_from_lines(name, line[len(upper) :], lines[index + 1 : index + 4])
    return None


def _title_from_lines(doc_type: str, rest: str, following: list[str]) -> str:
    words = rest.strip()
    if not words:
        # "BỘ LUẬT" / "LAO ĐỘNG" on two lines, or "NGHỊ ĐỊNH" / "Quy định …".
        for line in following:
            if not line or line.startswith("Căn cứ"):
                break
            words = f"{words} {line}".strip()
            if not _is_upper_title(line):
                break
    if not words:
        return doc_type
    if not _is_upper_title(words):
        return f"{doc_type} {words[:1].lower()}{words[1:]}"
    return f"{doc_type} {_sentence_case(words)}"


def _sentence_case(upper: str) -> str:
    """``CÔNG ĐOÀN VIỆT NAM (KHÓA XII)`` -> ``Công đoàn Việt Nam (khóa XII)``."""
    lowered = upper.lower()
    for plain, proper in _PROPER_WORDS.items():
        lowered = lowered.replace(plain, proper)
    lowered = re.sub(r"\b([ivxlc]+)\b", lambda m: m.group(1).upper(), lowered)
    return lowered[:1].upper() + lowered[1:]


def _consolidation(lines: list[str]) -> tuple[str | None, list[str]]:
    for index, line in enumerate(lines):
        match = _CONSOLIDATED.match(line)
        if match is None:
            continue
        amended: list[str] = []
        for following in lines[index + 1 :]:
            law = _AMENDING_LAW.match(following)
            if law is None:
                break
            amended.append(law.group(1))
        return match.group(2), amended
    return None, []
