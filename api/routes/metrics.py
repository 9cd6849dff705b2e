"""Prometheus metrics: request counts and latencies per route, and readiness of the platform's parts."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

router = APIRouter(tags=["health"])

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)


class AppMetrics:
    """One registry per app, so several apps in one process (tests) do not clash."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "congdoan_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "congdoan_http_request_seconds", "HTTP request latency", ["method", "route"], buckets=BUCKETS,
            registry=self.registry,
        )
        self.indexed_chunks = Gauge("congdoan_index_chunks", "Chunks in the search index", registry=self.registry)


def install(app: FastAPI) -> None:
    metrics = AppMetrics()
    app.state.metrics = metrics

    @app.middleware("http")
    async def measure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.requests.labels(request.method, path, str(response.status_code)).inc()
        metrics.latency.labels(request.method, path).observe(time.perf_counter() - started)
        return response

    app.include_router(router)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    state: AppMetrics = request.app.state.metrics
    platform = request.app.state.platform
    if "search" in platform.__dict__:
        state.indexed_chunks.set(platform.search.index.counts()["lexical"])
    return Response(generate_latest(state.registry), media_type=CONTENT_TYPE_LATEST)
