"""Chat load: 20 concurrent closed-loop clients against ``congdoan serve`` answering ``POST /api/v1/chat``
with the extractive generator, over the whole shared corpus (target p95 ≤ 300 ms).

Honest by construction:

- the questions are every distinct question of the evaluation sets (levietsangg, mrhao165, own, own_scope,
  read in place), shuffled with a fixed seed, each sent exactly once in the measured phase: no question is
  answered twice, so neither the query-embedding LRU nor any answer cache can help the headline figure;
- a warm-up phase first sends other questions (none of the measured ones) at the same concurrency;
- the measured phase runs ``ROUNDS`` times, each on a freshly started server (so no round replays cached
  answers); the headline is the round with the median p95, and every round's p95 is reported with it;
- the load generator (:mod:`evals.loadgen`) is a separate, lean process, like wrk or hey, and its CPU
  time is reported so one can see what it took from the server;
- a second phase sends the same questions again and is reported on its own (``repeat``): it shows what
  caches do for questions asked before, and is never blended into the headline;
- a third phase (``paced``), on a freshly started server so nothing is cached, sends the same questions
  with each client pausing ``PACED_THINK_SECONDS``
  between answers, as people reading do: the latency members see when 20 of them chat at once, also
  reported apart. The target is judged on the headline (no pause), the harshest reading.

The server's own time per request comes from its ``Server-Timing`` header (time in the chat handler, and
the answer chain's part of it); its CPU per request from /proc for the server's whole process tree.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

CLIENTS = 20
# One process of CONGDOAN_CHAT_THREADS (3) chat threads: what `make run` starts on the embedded SQLite database.
# Two processes (--workers 2) measured the same throughput (70-81 answers/s) with a longer tail (p95 347-572 ms
# against 326-393): the kernel splits the 20 keep-alive connections unevenly between them, and their writes
# meet SQLite's file lock.
WORKERS = 1
DATASETS = ("levietsangg", "mrhao165", "own", "own_scope")
SEED = 20261128
TARGET_P95_MS = 300
PACED_THINK_SECONDS = 1.0
ROUNDS = 3
# Warm-up only: none of these is among the measured questions (checked below).
WARMUP_QUESTIONS = (
    "Tôi muốn nghỉ việc thì phải báo trước bao nhiêu ngày?",
    "Thời gian thử việc tối đa là bao lâu?",
    "Làm thêm giờ được trả lương thế nào?",
    "Nghỉ hằng năm được bao nhiêu ngày?",
    "Công ty nợ lương 2 tháng thì phải làm sao?",
    "lao dong nu nghi thai san bao lau",
    "Mức đóng bảo hiểm xã hội bắt buộc là bao nhiêu?",
    "Cách nấu phở bò?",
    "Công đoàn cơ sở được thành lập khi nào?",
    "nguoi lao dong bi sa thai trai luat duoc boi thuong gi",
    "Đoàn viên công đoàn có quyền gì?",
    "Tiền lương làm việc ban đêm tính thế nào?",
)
WARMUP_ROUNDS = 5


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measured_bodies() -> list[dict[str, Any]]:
    """One request body per distinct (question, as_of) of the evaluation sets, in a fixed shuffled order."""
    from evals.datasets import load_datasets

    seen: dict[tuple[str, str | None], dict[str, Any]] = {}
    for question in load_datasets(list(DATASETS)):
        as_of = question.as_of.isoformat() if question.as_of else None
        body: dict[str, Any] = {"message": question.question}
        if as_of:
            body["as_of"] = as_of
        seen.setdefault((question.question.strip(), as_of), body)
    bodies = list(seen.values())
    random.Random(SEED).shuffle(bodies)
    return bodies


def warmup_bodies(measured: list[dict[str, Any]]) -> list[dict[str, Any]]:
    asked = {b["message"].strip() for b in measured}
    questions = [q for q in WARMUP_QUESTIONS if q not in asked]
    return [{"message": q} for _ in range(WARMUP_ROUNDS) for q in questions]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its descendants (the uvicorn supervisor and its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        pending.extend(_children(current))
    return total


def _load(url: str, bodies: list[dict[str, Any]], clients: int, think: float = 0.0) -> dict[str, Any]:
    """Run :mod:`evals.loadgen` in its own process: it must not share the server's or our interpreter."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(bodies, handle, ensure_ascii=False)
        path = handle.name
    try:
        command = [sys.executable, "-m", "evals.loadgen", "--url", url, "--bodies", path, "--clients", str(clients),
                   "--think", str(think)]
        done = subprocess.run(command, capture_output=True, check=True, timeout=1800)
    finally:
        os.unlink(path)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def summarise(load: dict[str, Any], server_cpu_seconds: float) -> dict[str, Any]:
    results = load["results"]
    latencies = [r["ms"] for r in results]
    ok = [r for r in results if r["status"] == 200]
    app = [r["server"]["app"] for r in ok if "app" in r.get("server", {})]
    answer = [r["server"]["answer"] for r in ok if "answer" in r.get("server", {})]
    chain = [r["server"]["chain"] for r in ok if "chain" in r.get("server", {})]
    figures: dict[str, Any] = {
        "requests": len(results),
        "errors": len(results) - len(ok),
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "requests_per_second": round(len(results) / load["seconds"], 1),
    }
    if app:
        figures["server_handler_p50_ms"] = round(_percentile(app, 50), 1)
        figures["server_handler_p95_ms"] = round(_percentile(app, 95), 1)
    if answer:
        # Question in, answer stored, without the wait for a chat thread: the server's own time.
        figures["server_answer_p50_ms"] = round(_percentile(answer, 50), 1)
        figures["server_answer_p95_ms"] = round(_percentile(answer, 95), 1)
    if chain:
        figures["server_chain_p50_ms"] = round(_percentile(chain, 50), 1)
    figures["server_cpu_ms_per_request"] = round(server_cpu_seconds * 1000 / len(results), 1)
    figures["loadgen_cpu_ms_per_request"] = round(load["loadgen_cpu_seconds"] * 1000 / len(results), 2)
    errors = [r.get("error", "") for r in results if r["status"] != 200]
    if errors:
        figures["first_error"] = str(errors[0])[:200]
    return figures


def _serve(data_dir: Path, port: int, workers: int, database: Path | None = None) -> subprocess.Popen[bytes]:
    """The platform as operators run it: `congdoan serve` in its own process (on ``database`` when given)."""
    env = {**os.environ, "CONGDOAN_DATA_DIR": str(data_dir)}
    if database is not None:
        env["CONGDOAN_DATABASE_URL"] = f"sqlite:///{database}"
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


def _server_session(
    data_dir: Path,
    measured: list[dict[str, Any]],
    workers: int,
    clients: int,
    phases: tuple[tuple[str, float], ...],
) -> dict[str, dict[str, Any]]:
    """Start ``congdoan serve``, warm it up with other questions, run the phases in order, stop it."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # Each session answers on a fresh copy of the corpus database: the conversations it stores would otherwise
    # pile up in var/eval run after run (85,000 messages once) and slow the writes of later runs.
    scratch = Path(tempfile.mkdtemp(prefix="congdoan-bench-"))
    database = scratch / "congdoan.db"
    _copy_database(data_dir / "congdoan.db", database)
    process = _serve(data_dir, port, workers, database)
    figures: dict[str, dict[str, Any]] = {}
    try:
        _wait_ready(url, process)
        _load(url, warmup_bodies(measured), clients)
        for phase, think in phases:
            cpu_before = tree_cpu_seconds(process.pid)
            load = _load(url, measured, clients, think)
            figures[phase] = summarise(load, tree_cpu_seconds(process.pid) - cpu_before)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    return figures


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, WAL included, through SQLite's own backup."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def run(report: dict[str, Any], workers: int = WORKERS, clients: int = CLIENTS) -> None:
    from evals.corpus_env import DEFAULT_DIR, corpus_platform

    corpus_platform().close()
    measured = measured_bodies()
    phases: dict[str, dict[str, Any]] = {}
    # Each session on a fresh server, so no phase replays answers cached by an earlier one. The distinct phase
    # runs ROUNDS times: on these shared machines one run's p95 moved by ±15% from the next.
    sessions: list[tuple[tuple[str, float], ...]] = [(("distinct", 0.0), ("repeat", 0.0))]
    sessions += [((f"distinct_{n}", 0.0),) for n in range(2, ROUNDS + 1)]
    sessions.append((("paced", PACED_THINK_SECONDS),))
    for session in sessions:
        phases.update(_server_session(DEFAULT_DIR, measured, workers, clients, session))
    rounds = [phases["distinct"], *(phases[f"distinct_{n}"] for n in range(2, ROUNDS + 1))]
    # The headline is the round with the median p95; every round's p95 and throughput are listed beside it.
    distinct = sorted(rounds, key=lambda r: r["p95_ms"])[len(rounds) // 2]
    repeat, paced = phases["repeat"], phases["paced"]
    report["chat"] = {
        "clients": clients,
        "server_workers": workers,
        "cpus": os.cpu_count(),
        "distinct_questions": len(measured),
        "rounds": len(rounds),
        **distinct,
        "p95_ms_each_round": [r["p95_ms"] for r in rounds],
        "requests_per_second_each_round": [r["requests_per_second"] for r in rounds],
        "target_p95_ms": TARGET_P95_MS,
        **{f"repeat_{key}": value for key, value in repeat.items()},
        "paced_think_seconds": PACED_THINK_SECONDS,
        **{f"paced_{key}": value for key, value in paced.items()},
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="chat load benchmark")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args()
    result: dict[str, Any] = {}
    run(result, workers=args.workers, clients=args.clients)
    print(json.dumps(result, ensure_ascii=False, indent=2))
