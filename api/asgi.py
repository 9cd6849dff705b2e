"""Entry point for multi-worker servers: each worker process builds its own settings at start-up.

    uvicorn --factory api.asgi:build --workers 4
"""

from __future__ import annotations

from fastapi import FastAPI

from api.serve_cli import single_thread_math

# Before numpy loads (through the app's imports below): one BLAS thread per worker process.
single_thread_math()

from api.app import create_app  # noqa: E402
from assistant.config import Settings  # noqa: E402


def build() -> FastAPI:
    app = create_app(Settings())
    app.state.serving = True
    return app
