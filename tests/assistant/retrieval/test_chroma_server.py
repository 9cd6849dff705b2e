"""The dense index on a real Chroma server (``chroma run`` on loopback) instead of the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.dense import make_client
from assistant.retrieval.index import SearchIndex
from tests.assistant.retrieval.conftest import CountingEmbeddings, HashingEmbeddings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    binary = Path(sys.executable).with_name("chroma")
    command = str(binary) if binary.exists() else shutil.which("chroma")
    if command is None:
        pytest.skip("the chroma command is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [command, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                make_client(tmp_path, url).heartbeat()
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_index_on_a_chroma_server(tmp_path: Path, chroma_url: str, blld_chunks: list[Chunk]) -> None:
    embedder = CountingEmbeddings(HashingEmbeddings())
    index = SearchIndex(tmp_path / "data", embedder, chroma_url=chroma_url)
    index.sync(blld_chunks)
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded on local disk
    assert index.counts() == {"lexical": len(blld_chunks), "dense": len(blld_chunks)}

    index.sync(blld_chunks[5:])
    assert index.counts()["dense"] == len(blld_chunks) - 5
    hits = index.load().search_dense("nghỉ hằng năm", k=3)
    assert hits and all(h.work_number == "45/2019/QH14" for h in hits)

    # Another process (another API worker) sees the same vectors on the server.
    other = SearchIndex(tmp_path / "data", CountingEmbeddings(HashingEmbeddings()), chroma_url=chroma_url)
    assert other.dense.count() == len(blld_chunks) - 5
