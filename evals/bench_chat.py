"""Chat load: 20 concurrent clients against a live uvicorn serving ``POST /api/v1/chat`` with the
extractive generator, over the whole shared corpus. Reports p50/p95 latency (target p95 ≤ 300 ms).

The load is bounded: each client sends ``REQUESTS_PER_CLIENT`` questions to 127.0.0.1 only, then stops.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

CLIENTS = 20
REQUESTS_PER_CLIENT = 10
WORKERS = 2
QUESTIONS = (
    "Tôi muốn nghỉ việc thì phải báo trước bao nhiêu ngày?",
    "Thời gian thử việc tối đa là bao lâu?",
    "Làm thêm giờ được trả lương thế nào?",
    "Nghỉ hằng năm được bao nhiêu ngày?",
    "Công ty nợ lương 2 tháng thì phải làm sao?",
    "lao dong nu nghi thai san bao lau",
    "Mức đóng bảo hiểm xã hội bắt buộc là bao nhiêu?",
    "Cách nấu phở bò?",
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _client(url: str, number: int, latencies: list[float], errors: list[str]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for i in range(REQUESTS_PER_CLIENT):
            question = QUESTIONS[(number + i) % len(QUESTIONS)]
            started = time.perf_counter()
            response = await client.post("/api/v1/chat", json={"message": question})
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors.append(f"{response.status_code}: {response.text[:100]}")


async def _load(url: str) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(url, n, latencies, errors) for n in range(CLIENTS)))
    return latencies, errors, time.perf_counter() - started


def _serve(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """The platform as operators run it: `congdoan serve` in its own process (the load generator must not
    share the server's interpreter)."""
    env = {**os.environ, "CONGDOAN_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("congdoan serve exited before it was ready")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("congdoan serve was not ready in time")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(report: dict[str, Any], workers: int = WORKERS) -> None:
    from evals.corpus_env import DEFAULT_DIR, corpus_platform

    corpus_platform().close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = _serve(DEFAULT_DIR, port, workers)
    try:
        _wait_ready(url, process)
        asyncio.run(_load_warm(url))
        latencies, errors, seconds = asyncio.run(_load(url))
    finally:
        process.terminate()
        process.wait(timeout=30)
    report["chat"] = {
        "clients": CLIENTS,
        "server_workers": workers,
        "requests": len(latencies),
        "errors": len(errors),
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "requests_per_second": round(len(latencies) / seconds, 1),
        "target_p95_ms": 300,
    }


async def _load_warm(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for question in QUESTIONS:
            await client.post("/api/v1/chat", json={"message": question})


if __name__ == "__main__":
    import json

    result: dict[str, Any] = {}
    run(result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
