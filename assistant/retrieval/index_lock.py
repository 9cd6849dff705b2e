"""A lock file beside the index, so a curator's ``congdoan ingest`` and the server processes on the same
machine never read the index files while another process rewrites them, and the generation stamp that says
which corpus generation the files on disk hold."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def index_lock(directory: Path, exclusive: bool, wait: bool = True) -> Iterator[bool]:
    """Yields True when the lock is held; False only when ``wait`` is off and another process has it."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("a+") as handle:
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(handle, flags if wait else flags | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_generation(directory: Path) -> int | None:
    try:
        return int((directory / "generation").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def write_generation(directory: Path, generation: int) -> None:
    temporary = directory / "generation.tmp"
    temporary.write_text(str(generation))
    os.replace(temporary, directory / "generation")
