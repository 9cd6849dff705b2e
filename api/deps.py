"""FastAPI dependencies, as ``Annotated`` aliases so routes stay short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.platform import Platform


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def get_settings(request: Request) -> Settings:
    return get_platform(request).settings


def get_session(request: Request) -> Iterator[Session]:
    with get_platform(request).db.session() as session:
        yield session


PlatformDep = Annotated[Platform, Depends(get_platform)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the session commits before the response is sent, so a client reading right after a write
# sees it.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
