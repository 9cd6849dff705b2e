"""A platform with the whole shared corpus ingested and indexed, for evaluations and benchmarks.

It lives in ``var/eval`` by default and is reused between runs: files already ingested are skipped by their
content hash and unchanged chunks are not embedded again, so only the first run pays for embedding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from assistant.config import Settings
from assistant.platform import Platform
from ingestion.catalogue import Catalogue
from ingestion.pipeline import Ingestor, apply_catalogue

REPO = Path(__file__).resolve().parents[1]
SHARED_RAW = REPO.parent / "shared" / "corpus" / "raw"
DEFAULT_DIR = REPO / "var" / "eval"


def raw_corpus_files(raw_dir: Path = SHARED_RAW) -> list[Path]:
    if not raw_dir.is_dir():
        raise SystemExit(f"Không tìm thấy kho văn bản dùng chung tại {raw_dir}")
    return sorted(raw_dir.glob("*.txt"))


def corpus_platform(data_dir: Path = DEFAULT_DIR, console: Console | None = None, **overrides: Any) -> Platform:
    """Ingest every shared raw text into ``data_dir`` (idempotent) and bring the indexes in step."""
    settings = Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]
    platform = Platform(settings)
    platform.migrate()
    ingestor = Ingestor(platform.db, Catalogue.load())
    files = raw_corpus_files()
    with Progress(console=console or Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Nạp kho văn bản dùng chung", total=len(files))
        for path in files:
            ingestor.ingest_path(path)
            progress.advance(task)
    apply_catalogue(platform.db, ingestor.catalogue)
    platform.search.sync()
    return platform
