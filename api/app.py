"""``create_app(settings)``: the FastAPI application. Tests build their own settings and call it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.cors import PublicCORS
from api.http_errors import vietnamese_http_errors
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
from api.validation_errors import vietnamese_validation_errors
from assistant.config import Settings
from assistant.db.engine import DatabaseUnavailable
from assistant.gc_tuning import freeze_long_lived
from assistant.housekeeping import start_housekeeping
from assistant.platform import Platform
from bots.hub import BotHub

# Chat questions are answered on a small pool of threads per process (``CONGDOAN_CHAT_THREADS``, default 3):
# the answer is CPU work, and the query embedding (C, without the GIL) of one question overlaps the Python
# steps and database write of the others. Measured on two cores, 20 closed-loop clients, one process: before
# the final engine, 2 threads p95 401 ms at 70 answers/s, 3 threads 309 ms at 80/s, 4 threads 346 ms at 73/s;
# with it (13 ms of CPU an answer) 2, 3 and 4 threads all gave p95 241-277 ms at 95-116/s.


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    platform = platform or Platform(settings)
    chat_pool = ThreadPoolExecutor(settings.chat_threads, thread_name_prefix="chat")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        platform.migrate()
        await asyncio.to_thread(platform.warm_up)
        if getattr(_app.state, "serving", False):
            freeze_long_lived()  # see assistant/gc_tuning.py; not in tests, which build many apps in one process
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
    app.add_exception_handler(RequestValidationError, vietnamese_validation_errors)
    app.add_exception_handler(StarletteHTTPException, vietnamese_http_errors)
    # The widget's endpoints are called from other sites' pages (see api/cors.py).
    app.add_middleware(PublicCORS)
    metrics.install(app)
    app.include_router(health.router)
    app.include_router(webhooks.router)
    # Chat first: routes are matched in order, and chat is what members call most.
    for module in (chat, feedback, search, widget):
        app.include_router(module.router)
    for module in (auth, cases, opinions, analytics, directory, identity, portal):
        app.include_router(module.router)
    return app


async def _database_down(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "Hệ thống đang tạm gián đoạn kết nối cơ sở dữ liệu. Bạn vui lòng thử lại sau ít phút; "
                   "nội dung bạn gửi chưa được ghi nhận."},
        status_code=503,
        headers={"Retry-After": "30"},
    )
