"""Limits on guessing: staff sign-in (API token and portal) and linking a membership by code + phone digits.

A member code with four phone digits has only 10,000 combinations, and a password can be guessed too, so
attempts are counted per account and per client address, in Redis when ``CONGDOAN_REDIS_URL`` is set (every
worker sees the same counts) and in process otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from bots.ratelimit import RateLimiter, Verdict, build_rate_limiter

LOGIN_PER_ACCOUNT = (10, 900)  # attempts, seconds
LOGIN_PER_ADDRESS = (30, 900)
LINK_PER_MEMBER = (5, 3600)
LINK_PER_ADDRESS = (20, 3600)


@dataclass(frozen=True)
class Throttles:
    login_account: RateLimiter
    login_address: RateLimiter
    link_member: RateLimiter
    link_address: RateLimiter


def throttles(request: Request) -> Throttles:
    """The app's throttles, built on first use from the platform's settings."""
    state = request.app.state
    found: Throttles | None = getattr(state, "throttles", None)
    if found is None:
        redis_url = state.platform.settings.redis_url
        found = Throttles(
            *(build_rate_limiter(redis_url, limit, window) for limit, window in
              (LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS, LINK_PER_MEMBER, LINK_PER_ADDRESS))
        )
        state.throttles = found
    return found


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def login_refusal(request: Request, username: str) -> Verdict | None:
    """The refusing verdict when this sign-in attempt is over a limit, else None (the attempt is counted)."""
    limits = throttles(request)
    for limiter, key in (
        (limits.login_account, f"login:{username.strip().lower()}"),
        (limits.login_address, f"login-ip:{client_address(request)}"),
    ):
        verdict = limiter.hit(key)
        if not verdict.allowed:
            return verdict
    return None


def login_message(verdict: Verdict) -> str:
    return (
        f"Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau {_minutes(verdict.retry_after)} phút; "
        "nếu quên mật khẩu, hãy liên hệ quản trị viên hệ thống của công đoàn."
    )


def guard_login(request: Request, username: str) -> None:
    verdict = login_refusal(request, username)
    if verdict is not None:
        raise too_many(login_message(verdict), verdict)


def guard_link(request: Request, member_code: str) -> None:
    limits = throttles(request)
    for limiter, key in (
        (limits.link_member, f"link:{member_code.strip().upper()}"),
        (limits.link_address, f"link-ip:{client_address(request)}"),
    ):
        verdict = limiter.hit(key)
        if not verdict.allowed:
            raise too_many(
                f"Bạn đã thử xác minh quá nhiều lần. Vui lòng thử lại sau {_minutes(verdict.retry_after)} phút, "
                "hoặc đề nghị gặp cán bộ công đoàn để được xác minh trực tiếp.",
                verdict,
            )


def too_many(message: str, verdict: Verdict) -> HTTPException:
    return HTTPException(429, message, headers={"Retry-After": str(max(verdict.retry_after, 1))})
