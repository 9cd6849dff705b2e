"""``congdoan serve``: run the HTTP platform with uvicorn."""

from __future__ import annotations

import typer

from assistant.platform import Platform


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe."),
        port: int = typer.Option(8000, help="Cổng lắng nghe."),
        workers: int = typer.Option(1, help="Số tiến trình phục vụ (mỗi tiến trình tự nạp chỉ mục)."),
    ) -> None:
        """Chạy máy chủ HTTP (API, widget, cổng cán bộ, webhook của bot)."""
        import uvicorn

        from api.app import create_app

        platform: Platform = ctx.obj
        if workers > 1:
            # Migrate once here; each worker then builds its own settings from the same environment.
            platform.migrate()
            uvicorn.run("api.asgi:build", factory=True, host=host, port=port, workers=workers, log_level="info")
            return
        uvicorn.run(create_app(platform.settings, platform), host=host, port=port, log_level="info")
