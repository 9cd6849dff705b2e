"""``create_app(settings)``: the FastAPI application. Tests build their own settings and call it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import health
from assistant.config import Settings
from assistant.platform import Platform


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    platform = platform or Platform(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        platform.migrate()
        yield
        platform.close()

    app = FastAPI(
        title="congdoan",
        description="Trợ lý pháp lý AI cho Công đoàn Việt Nam",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.platform = platform
    app.include_router(health.router)
    return app
