"""``congdoan bot telegram|zalo [--polling]`` and ``congdoan bot setup telegram|zalo --url URL``."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
from urllib.parse import urlparse

import typer

from assistant.config import Settings
from assistant.platform import Platform
from bots.hub import CHANNELS, bot_settings

bot_app = typer.Typer(help="Bot Telegram và Zalo.", no_args_is_help=True)
ENV_PREFIX = {"telegram": "CONGDOAN_TELEGRAM__", "zalo": "CONGDOAN_ZALO__"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _require_token(settings: Settings, name: str) -> None:
    if not bot_settings(settings, name).token.get_secret_value():
        _fail(f"Chưa có token: đặt {ENV_PREFIX[name]}TOKEN trong môi trường hoặc tệp .env.")


def webhook_url(base: str, name: str) -> str:
    """The public address of this platform's webhook for ``name``; refuses plain HTTP except on loopback."""
    parsed = urlparse(base)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"Địa chỉ không hợp lệ: {base!r} (cần dạng https://ten-mien)")
    if parsed.scheme == "http" and parsed.hostname not in LOOPBACK:
        raise ValueError("Telegram và Zalo chỉ gửi webhook tới địa chỉ HTTPS.")
    path = f"/webhooks/{name}"
    base = base.rstrip("/")
    return base if base.endswith(path) else base + path


async def register_webhook(settings: Settings, name: str, url: str, secret: str) -> None:
    if name == "telegram":
        from bots.telegram import build_bot

        async with build_bot(settings.telegram) as bot:
            await bot.set_webhook(url=url, secret_token=secret, allowed_updates=["message", "callback_query"])
        return
    from bots.zalo import build_api

    api = build_api(settings.zalo)
    try:
        await api.set_webhook(url, secret)
    finally:
        await api.close()


def _run_polling(platform: Platform, name: str) -> None:
    from bots import polling

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        platform.migrate()
        runner = polling.run_telegram if name == "telegram" else polling.run_zalo
        await runner(platform, stop)

    asyncio.run(main())


def _channel(value: str) -> str:
    if value not in CHANNELS:
        raise typer.BadParameter("chọn telegram hoặc zalo")
    return value


def _serve_or_poll(ctx: typer.Context, name: str, polling: bool, host: str, port: int) -> None:
    platform: Platform = ctx.obj
    _require_token(platform.settings, name)
    if polling:
        _run_polling(platform, name)
        return
    if not bot_settings(platform.settings, name).webhook_secret.get_secret_value():
        _fail(
            f"Chế độ webhook cần {ENV_PREFIX[name]}WEBHOOK_SECRET: chạy `congdoan bot setup {name} --url "
            "https://ten-mien` trước, hoặc dùng --polling."
        )
    import uvicorn

    from api.app import create_app

    typer.echo(f"Webhook: POST /webhooks/{name} trên http://{host}:{port}", err=True)
    uvicorn.run(create_app(platform.settings, platform), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    @bot_app.command("telegram")
    def telegram_cmd(
        ctx: typer.Context,
        polling: bool = typer.Option(False, "--polling", help="Tự hỏi Telegram (getUpdates), không cần webhook."),
        host: str = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe webhook."),
        port: int = typer.Option(8000, help="Cổng lắng nghe webhook."),
    ) -> None:
        """Chạy bot Telegram: webhook trong máy chủ HTTP, hoặc --polling."""
        _serve_or_poll(ctx, "telegram", polling, host, port)

    @bot_app.command("zalo")
    def zalo_cmd(
        ctx: typer.Context,
        polling: bool = typer.Option(False, "--polling", help="Tự hỏi Zalo (getUpdates), không cần webhook."),
        host: str = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe webhook."),
        port: int = typer.Option(8000, help="Cổng lắng nghe webhook."),
    ) -> None:
        """Chạy bot Zalo: webhook trong máy chủ HTTP, hoặc --polling."""
        _serve_or_poll(ctx, "zalo", polling, host, port)

    @bot_app.command("setup")
    def setup_cmd(
        ctx: typer.Context,
        channel: str = typer.Argument(..., callback=_channel, help="telegram hoặc zalo"),
        url: str = typer.Option(..., "--url", help="Địa chỉ công khai của máy chủ, ví dụ https://trogiup.congdoan.vn"),
    ) -> None:
        """Đăng ký webhook với một mã bí mật mới và in các dòng cần đặt vào môi trường."""
        platform: Platform = ctx.obj
        _require_token(platform.settings, channel)
        try:
            hook = webhook_url(url, channel)
        except ValueError as exc:
            _fail(str(exc))
        secret = secrets.token_urlsafe(32)
        try:
            asyncio.run(register_webhook(platform.settings, channel, hook, secret))
        except Exception as exc:
            _fail(f"Không đăng ký được webhook với {channel}: {exc}")
        typer.echo(f"Đã đăng ký webhook {hook}", err=True)
        typer.echo("Đặt dòng sau vào môi trường (hoặc tệp .env) của máy chủ rồi khởi động lại:", err=True)
        typer.echo(f"{ENV_PREFIX[channel]}WEBHOOK_SECRET={secret}")

    app.add_typer(bot_app, name="bot")
