"""``create_app(settings)``: the FastAPI application. Tests build their own settings and call it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.cors import PublicCORS
from api.routes import (
    analytics,
    auth,
    cases,
    chat,
    directory,
    feedback,
    health,
    identity,
    metrics,
    opinions,
    portal,
    search,
    webhooks,
    widget,
)
from assistant.config import Settings
from assistant.db.engine import DatabaseUnavailable
from assistant.housekeeping import start_housekeeping
from assistant.platform import Platform
from bots.hub import BotHub

# Threads that answer chat questions in one process. The answer is CPU work; two threads let the query
# embedding (C, without the GIL) of one question overlap the Python steps and database write of another.
# Measured on two cores, 20 clients, one process: 2 threads gave p95 751-793 ms on distinct questions,
# 3 threads 1,033 ms (more answers in flight at once, each slower); 2 processes of 1 thread 1,895 ms.
CHAT_THREADS = 2


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    platform = platform or Platform(settings)
    chat_pool = ThreadPoolExecutor(CHAT_THREADS, thread_name_prefix="chat")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        platform.migrate()
        await asyncio.to_thread(platform.warm_up)
        _app.state.bots = BotHub(platform)
        await _app.state.bots.start()
        housekeeper = start_housekeeping(platform)
        yield
        housekeeper.stop()
        await _app.state.bots.stop()
        chat_pool.shutdown(wait=True)
        platform.close()

    app = FastAPI(
        title="congdoan",
        description="Trợ lý pháp lý AI cho Công đoàn Việt Nam",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.platform = platform
    app.state.chat_pool = chat_pool
    app.add_exception_handler(DatabaseUnavailable, _database_down)
    # The widget's endpoints are called from other sites' pages (see api/cors.py).
    app.add_middleware(PublicCORS)
    metrics.install(app)
    app.include_router(health.router)
    app.include_router(webhooks.router)
    for module in (auth, cases, opinions, analytics, directory, identity, portal):
        app.include_router(module.router)
    for module in (chat, feedback, search, widget):
        app.include_router(module.router)
    return app


async def _database_down(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "Hệ thống đang tạm gián đoạn kết nối cơ sở dữ liệu. Bạn vui lòng thử lại sau ít phút; "
                   "nội dung bạn gửi chưa được ghi nhận."},
        status_code=503,
        headers={"Retry-After": "30"},
    )
