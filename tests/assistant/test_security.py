from __future__ import annotations

import time
from pathlib import Path

from pydantic import SecretStr

from assistant.security import (
    Signer,
    hash_password,
    password_fingerprint,
    resolve_secret_key,
    verify_password,
)
from tests.conftest import make_settings


def test_passwords_are_hashed_and_verified() -> None:
    stored = hash_password("một mật khẩu dài " * 10, rounds=4)
    assert stored.startswith("bcrypt-sha256$") and "mật khẩu" not in stored
    assert verify_password("một mật khẩu dài " * 10, stored)
    # bcrypt alone would ignore everything past 72 bytes; the digest does not.
    assert not verify_password("một mật khẩu dài " * 9, stored)
    assert not verify_password("anything", None)
    assert password_fingerprint(stored) != password_fingerprint(hash_password("khác hẳn", rounds=4))


def test_tokens_are_bound_to_secret_purpose_and_time() -> None:
    signer = Signer(b"k" * 32)
    token = signer.sign("access", {"sub": 7}, ttl_seconds=60)
    assert signer.unsign("access", token)["sub"] == 7  # type: ignore[index]
    assert signer.unsign("portal-session", token) is None
    assert Signer(b"x" * 32).unsign("access", token) is None
    body, mac = token.split(".")
    assert signer.unsign("access", body[:-2] + "AA." + mac) is None
    assert signer.unsign("access", signer.sign("access", {"sub": 7}, ttl_seconds=-1)) is None
    assert signer.unsign("access", "garbage") is None
    assert signer.unsign("access", "") is None
    assert int(time.time()) < signer.unsign("access", token)["exp"]  # type: ignore[index]


def test_placeholder_secrets_are_replaced_by_a_persisted_random_one(tmp_path: Path) -> None:
    for placeholder in ("", "changeme", "secret", "short"):
        settings = make_settings(tmp_path, secret_key=SecretStr(placeholder))
        first = resolve_secret_key(settings)
        assert first.decode() != placeholder and len(first) >= 32
        assert resolve_secret_key(settings) == first  # kept under DATA_DIR, same after a restart
    secret_file = tmp_path / "var" / "secret_key"
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    real = "a-real-secret-of-enough-length-123"
    assert resolve_secret_key(make_settings(tmp_path, secret_key=SecretStr(real))) == real.encode()
