"""Log in: OAuth2 password form -> bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import ServicesDep
from domain.accounts import Token
from services import accounts

router = APIRouter(tags=["auth"])


@router.post("/auth/token")
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    services: ServicesDep,
) -> Token:
    """Exchange a username and password for a bearer token; repeated failures are 429."""
    peer = request.client.host if request.client else None
    forwarded_for = request.headers.get("x-forwarded-for")
    return await accounts.log_in(services, form.username, form.password, peer, forwarded_for)
