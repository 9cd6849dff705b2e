"""The root ``congdoan`` command: composes the sub-commands each package owns and builds settings once."""

from __future__ import annotations

import sys

import typer

from assistant.config import Settings
from assistant.platform import Platform

app = typer.Typer(
    name="congdoan",
    help="congdoan: trợ lý pháp lý AI cho Công đoàn Việt Nam.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Build the settings and the platform once for whichever command runs."""
    from assistant.privacy import install_log_masking

    # Commands log members' messages too (bots in polling mode, ask): phone numbers and ids are masked.
    install_log_masking()
    if ctx.obj is None:
        ctx.obj = Platform(Settings())


def _register() -> None:
    from api import admin_cli, ask_cli, serve_cli
    from bots import cli as bots_cli
    from evals import cli as evals_cli
    from ingestion import cli as ingestion_cli

    ingestion_cli.register(app)
    bots_cli.register(app)
    serve_cli.register(app)
    evals_cli.register(app)
    admin_cli.register(app)
    ask_cli.register(app)


_register()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
