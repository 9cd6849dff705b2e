"""``congdoan serve``: run the HTTP platform with uvicorn."""

from __future__ import annotations

import os

import typer

from assistant.platform import Platform

# One BLAS thread per process: a question is one matrix-vector product over the chunk vectors, far too small
# to split, and OpenBLAS's default (a thread per core) made it take 8 ms instead of 0.2 ms on two cores
# while the other worker spun on them too. Read by OpenBLAS when numpy loads, so it is set before that.
SINGLE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def single_thread_math() -> None:
    """Default the math libraries to one thread each, unless the operator chose otherwise."""
    for name, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(name, value)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe."),
        port: int = typer.Option(8000, help="Cổng lắng nghe."),
        workers: int = typer.Option(1, help="Số tiến trình phục vụ (mỗi tiến trình tự nạp chỉ mục)."),
        access_log: bool = typer.Option(
            False, help="Ghi nhật ký từng yêu cầu HTTP (câu hỏi và trả lời luôn được lưu trong cơ sở dữ liệu)."
        ),
    ) -> None:
        """Chạy máy chủ HTTP (API, widget, cổng cán bộ, webhook của bot)."""
        single_thread_math()
        import uvicorn

        from api.app import create_app

        platform: Platform = ctx.obj
        # httptools and uvloop are dependencies: the C parser and loop cost less CPU per request.
        options = {"host": host, "port": port, "log_level": "info", "access_log": access_log,
                   "http": "httptools", "loop": "uvloop"}
        if workers > 1:
            # Migrate once here; each worker then builds its own settings from the same environment.
            platform.migrate()
            uvicorn.run("api.asgi:build", factory=True, workers=workers, **options)  # type: ignore[arg-type]
            return
        app = create_app(platform.settings, platform)
        app.state.serving = True
        uvicorn.run(app, **options)  # type: ignore[arg-type]
