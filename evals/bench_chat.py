"""Chat load: 20 concurrent clients against a live uvicorn serving ``POST /api/v1/chat`` with the
extractive generator, over the whole shared corpus. Reports p50/p95 latency (target p95 ≤ 300 ms).

The load is bounded: each client sends ``REQUESTS_PER_CLIENT`` questions to 127.0.0.1 only, then stops.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import uvicorn

CLIENTS = 20
REQUESTS_PER_CLIENT = 10
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


def run(report: dict[str, Any]) -> None:
    from api.app import create_app
    from evals.corpus_env import corpus_platform

    platform = corpus_platform()
    platform.chat.ask  # noqa: B018 (build the chain before the clock starts)
    app = create_app(platform.settings, platform)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(_load_warm(url))
        latencies, errors, seconds = asyncio.run(_load(url))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    report["chat"] = {
        "clients": CLIENTS,
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
