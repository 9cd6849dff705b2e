"""Passwords, signed tokens and the server's secret key.

Passwords: bcrypt over a SHA-256 digest of the password (bcrypt alone ignores bytes past the 72nd).
Tokens: ``base64url(json) "." base64url(HMAC-SHA256(secret, purpose "." body))``, with an expiry inside;
the purpose keeps a session cookie from being replayed as a bearer token and the other way round.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

import bcrypt

from assistant.config import Settings

log = logging.getLogger(__name__)

PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "changethis", "change_me", "secret", "dev", "test", "password", "xxx"}
)
SECRET_FILE = "secret_key"
HASH_PREFIX = "bcrypt-sha256$"
DEFAULT_ROUNDS = 12
# A real hash, so a login for an unknown user costs as much as one for a known user.
_DUMMY_HASH = bcrypt.hashpw(b"congdoan", bcrypt.gensalt(rounds=4)).decode()


def _digest(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, rounds: int = DEFAULT_ROUNDS) -> str:
    if not password:
        raise ValueError("Mật khẩu không được để trống")
    return HASH_PREFIX + bcrypt.hashpw(_digest(password), bcrypt.gensalt(rounds=rounds)).decode()


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith(HASH_PREFIX):
        bcrypt.checkpw(_digest(password), _DUMMY_HASH.encode())
        return False
    return bcrypt.checkpw(_digest(password), stored[len(HASH_PREFIX) :].encode())


def password_fingerprint(stored_hash: str) -> str:
    """Changes whenever the password changes, so tokens issued before a change stop working."""
    return hashlib.sha256(stored_hash.encode()).hexdigest()[:16]


def resolve_secret_key(settings: Settings) -> bytes:
    """The configured secret, unless it is empty or a placeholder: then one generated once and kept in
    DATA_DIR (shared by every worker that shares DATA_DIR; set CONGDOAN_SECRET_KEY for several machines)."""
    configured = settings.secret_key.get_secret_value().strip()
    if configured.lower() not in PLACEHOLDER_SECRETS and len(configured) >= 16:
        return configured.encode()
    if configured:
        log.warning("CONGDOAN_SECRET_KEY là giá trị mẫu hoặc quá ngắn; dùng khoá bí mật sinh ngẫu nhiên.")
    return _persisted_secret(settings.data_dir / SECRET_FILE)


def _persisted_secret(path: Path) -> bytes:
    if path.exists():
        value = path.read_text(encoding="ascii").strip()
        if len(value) >= 32:
            return value.encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value.encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, purpose: str, body: str) -> str:
        return _b64(hmac.new(self._secret, f"{purpose}.{body}".encode(), hashlib.sha256).digest())

    def sign(self, purpose: str, payload: dict[str, Any], ttl_seconds: int) -> str:
        body = _b64(json.dumps({**payload, "exp": int(time.time()) + ttl_seconds}, separators=(",", ":")).encode())
        return f"{body}.{self._mac(purpose, body)}"

    def unsign(self, purpose: str, token: str) -> dict[str, Any] | None:
        """The payload, or None for anything forged, malformed or expired."""
        body, _, mac = token.partition(".")
        if not body or not mac or not hmac.compare_digest(mac, self._mac(purpose, body)):
            return None
        try:
            payload = json.loads(_unb64(body))
        except ValueError:
            return None
        if not isinstance(payload, dict) or int(payload.get("exp", 0)) < time.time():
            return None
        return payload

    def digest(self, purpose: str, value: str) -> str:
        """A keyed digest (e.g. the CSRF token derived from a cookie nonce)."""
        return self._mac(purpose, value)
