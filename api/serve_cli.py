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
    ) -> None:
        """Chạy máy chủ HTTP (API, widget, cổng cán bộ)."""
        import uvicorn

        from api.app import create_app

        platform: Platform = ctx.obj
        uvicorn.run(create_app(platform.settings, platform), host=host, port=port, log_level="info")
