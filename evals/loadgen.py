"""A lean closed-loop HTTP/1.1 load generator for ``POST /api/v1/chat``, run in its own process.

Like wrk or hey it should cost the machine as little CPU as possible, so that what is measured is the
server: one keep-alive connection per client on asyncio streams (uvloop when present), request bytes
prepared before the clock starts, and responses parsed only as far as the status line, the headers we
read (``Content-Length``, ``Server-Timing``) and the body length. Loopback only, bounded by the bodies given.

    python -m evals.loadgen --url http://127.0.0.1:8000 --bodies bodies.json --clients 20

``bodies.json`` is a JSON list of request bodies (objects); each is sent exactly once, clients taking the
next one from a shared queue. One JSON report goes to stdout: per-request latency, status and the
server's own timing, and the CPU seconds this process used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PATH = "/api/v1/chat"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def request_bytes(host: str, port: int, path: str, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode("ascii") + payload


def server_timing(value: str) -> dict[str, float]:
    """``app;dur=12.3, chain;dur=10.1`` → {"app": 12.3, "chain": 10.1}."""
    found: dict[str, float] = {}
    for metric in value.split(","):
        name, _, params = metric.strip().partition(";")
        for param in params.split(";"):
            key, _, number = param.strip().partition("=")
            if key == "dur":
                with contextlib.suppress(ValueError):
                    found[name.strip()] = float(number)
    return found


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, float], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    timing: dict[str, float] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        lowered = name.strip().lower()
        if lowered == "content-length":
            length = int(value)
        elif lowered == "server-timing":
            timing.update(server_timing(value))
    body = await reader.readexactly(length) if length else b""
    return status, timing, body


async def _client(
    host: str,
    port: int,
    queue: deque[tuple[int, bytes]],
    results: list[dict[str, Any]],
    timeout: float,
    think: float = 0.0,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while queue:
            index, data = queue.popleft()
            if think and results:
                await asyncio.sleep(think)  # a person reading the answer before the next question
            started = time.perf_counter()
            try:
                writer.write(data)
                status, timing, body = await asyncio.wait_for(_read_response(reader), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                results.append({"i": index, "ms": (time.perf_counter() - started) * 1000, "status": 0,
                                "error": type(exc).__name__})
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            entry: dict[str, Any] = {"i": index, "ms": (time.perf_counter() - started) * 1000, "status": status}
            if timing:
                entry["server"] = timing
            if status != 200:
                entry["error"] = body[:200].decode("utf-8", "replace")
            results.append(entry)
    finally:
        writer.close()


async def run_load(
    url: str, bodies: list[dict[str, Any]], clients: int, timeout: float = 60, think: float = 0.0
) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in LOOPBACK:
        raise SystemExit(f"loadgen only targets loopback, not {host}")
    queue = deque((i, request_bytes(host, port, PATH, b)) for i, b in enumerate(bodies))
    results: list[dict[str, Any]] = []
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    await asyncio.gather(*(_client(host, port, queue, results, timeout, think) for _ in range(clients)))
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {"seconds": seconds, "loadgen_cpu_seconds": cpu, "results": sorted(results, key=lambda r: r["i"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="closed-loop load on /api/v1/chat (loopback only)")
    parser.add_argument("--url", required=True)
    parser.add_argument("--bodies", type=Path, required=True, help="JSON list of request bodies")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests")
    args = parser.parse_args(argv)
    bodies = json.loads(args.bodies.read_text(encoding="utf-8"))
    load = run_load(args.url, bodies, args.clients, args.timeout, args.think)
    try:
        import uvloop
    except ImportError:
        report = asyncio.run(load)
    else:
        report = uvloop.run(load)
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
