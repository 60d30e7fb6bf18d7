"""Log in: OAuth2 password form -> bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import SessionDep, SettingsDep
from api.hardening import LoginThrottle
from api.schemas import Token
from api.security import issue_token, verify_password
from db import units
from domain.errors import Unauthenticated

router = APIRouter(tags=["auth"])


@router.post("/auth/token")
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Exchange a username and password for a bearer token; repeated failures are 429."""
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    throttle.check(form.username, address)
    user = await units.user_by_username(session, form.username)
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        throttle.failed(form.username, address)
        raise Unauthenticated("invalid_credentials", "Wrong username or password.")
    throttle.succeeded(form.username)
    return Token(access_token=issue_token(user.id, settings.secret_key, settings.token_minutes))
