"""Log in: OAuth2 password form -> bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import SettingsDep
from api.login_guard import LoginGuard
from api.schemas import Token
from api.security import issue_token

router = APIRouter(tags=["auth"])


@router.post("/auth/token")
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    settings: SettingsDep,
) -> Token:
    """Exchange a username and password for a bearer token; repeated failures are 429."""
    guard: LoginGuard = request.app.state.login_guard
    peer = request.client.host if request.client else None
    address = guard.address(peer, request.headers.get("x-forwarded-for"))
    user_id = await guard.authenticate(form.username, form.password, address)
    return Token(access_token=issue_token(user_id, settings.secret_key, settings.token_minutes))
