"""Staff sign-in: ``POST /api/v1/auth/token`` gives a bearer token; ``ReachDep`` reads it back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from api.deps import get_platform
from api.throttle import guard_login
from assistant.access import Reach, reach_of
from assistant.db.base import utcnow
from assistant.db.union import StaffUser
from assistant.platform import Platform
from assistant.security import Signer, password_fingerprint, verify_password

ACCESS_TTL_SECONDS = 8 * 3600
ACCESS_PURPOSE = "access"
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def get_tx(request: Request) -> Iterator[Session]:
    try:
        with get_platform(request).db.session() as session:
            yield session
    except StaleDataError as exc:
        raise HTTPException(409, "Dữ liệu vừa được người khác cập nhật; vui lòng tải lại rồi thử lại.") from exc


# Committed before the response leaves, so a client that reads right after a write sees it.
TxDep = Annotated[Session, Depends(get_tx, scope="function")]


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    staff = session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
    ok = verify_password(password, staff.password_hash if staff else None)
    if staff is None or not ok or not staff.active:
        return None
    staff.last_login_at = utcnow()
    return staff


def issue_token(signer: Signer, staff: StaffUser, purpose: str, ttl: int, **extra: str) -> str:
    payload = {"sub": staff.id, "pv": password_fingerprint(staff.password_hash), **extra}
    return signer.sign(purpose, payload, ttl)


def staff_from_token(session: Session, signer: Signer, purpose: str, token: str) -> StaffUser | None:
    payload = signer.unsign(purpose, token)
    if payload is None:
        return None
    staff = session.get(StaffUser, payload.get("sub"))
    if staff is None or not staff.active or payload.get("pv") != password_fingerprint(staff.password_hash):
        return None
    return staff


def _unauthorized() -> HTTPException:
    return HTTPException(401, "Cần đăng nhập bằng tài khoản cán bộ.", headers={"WWW-Authenticate": "Bearer"})


def current_reach(request: Request, session: TxDep) -> Reach:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized()
    platform: Platform = get_platform(request)
    staff = staff_from_token(session, platform.signer, ACCESS_PURPOSE, token.strip())
    if staff is None:
        raise _unauthorized()
    return reach_of(staff)


ReachDep = Annotated[Reach, Depends(current_reach)]


def require(reach: Reach, capability: str) -> None:
    if not reach.can(capability):
        raise HTTPException(403, "Vai trò của bạn không có quyền thực hiện thao tác này.")


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = ACCESS_TTL_SECONDS


@router.post("/token", response_model=TokenResponse)
def token(body: TokenRequest, request: Request, session: TxDep) -> TokenResponse:
    guard_login(request, body.username)
    staff = authenticate(session, body.username, body.password)
    if staff is None:
        raise HTTPException(401, BAD_LOGIN)
    signer = get_platform(request).signer
    return TokenResponse(access_token=issue_token(signer, staff, ACCESS_PURPOSE, ACCESS_TTL_SECONDS))
