"""Fixtures for the loader and structure tests: the shared raw corpus and a Unicode font."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from ingestion.structure import ParsedDocument, parse_document

RAW_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "raw"
SYSTEM_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@cache
def _parse(path: Path) -> ParsedDocument:
    return parse_document(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def raw_corpus() -> Path:
    if not RAW_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {RAW_CORPUS} (it sits beside the repository as shared/)")
    return RAW_CORPUS


@pytest.fixture(scope="session")
def parse_raw(raw_corpus: Path) -> Callable[[str], ParsedDocument]:
    """``parse_raw(slug)`` parses ``raw/<slug>.txt`` once per session (the corpus is read-only)."""
    return lambda slug: _parse(raw_corpus / f"{slug}.txt")


@pytest.fixture(scope="session")
def unicode_font() -> Path:
    """A TrueType font with Vietnamese glyphs for generating PDFs."""
    if SYSTEM_FONT.is_file():
        return SYSTEM_FONT
    try:
        import matplotlib
    except ImportError:
        pytest.skip("no DejaVuSans.ttf: neither the system font nor matplotlib is installed")
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if not bundled.is_file():
        pytest.skip("no DejaVuSans.ttf found (system fonts or matplotlib)")
    return bundled
