"""Every ``congdoan`` command masks personal data in its logs, not only the server."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from assistant.platform import Platform
from tests.conftest import make_settings


def test_a_cli_command_masks_phone_numbers_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    platform = Platform(make_settings(tmp_path))
    result = CliRunner().invoke(app, ["docs", "list", "--json"], obj=platform)
    platform.close()
    assert result.exit_code == 0, result.stderr
    with caplog.at_level(logging.INFO):
        logging.getLogger("congdoan.test.cli").info("Tin nhắn từ %s", "0912345678")
    assert "0912345678" not in caplog.text and "*******678" in caplog.text
