"""Entry point for multi-worker servers: each worker process builds its own settings at start-up.

    uvicorn --factory api.asgi:build --workers 4
"""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from assistant.config import Settings


def build() -> FastAPI:
    return create_app(Settings())
