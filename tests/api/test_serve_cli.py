"""``congdoan serve`` defaults the math libraries to one thread per process, unless the operator chose."""

from __future__ import annotations

import pytest

from api.serve_cli import SINGLE_THREAD_ENV, single_thread_math


def test_single_thread_math_sets_defaults_but_keeps_the_operators_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SINGLE_THREAD_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    single_thread_math()
    import os

    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
    assert os.environ["MKL_NUM_THREADS"] == "1"
