"""Log in: OAuth2 password form -> bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import BearerToken, ServicesDep
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


@router.post("/auth/logout", status_code=204, response_class=Response)
async def logout(services: ServicesDep, token: BearerToken) -> Response:
    """Give the bearer token back: every API replica refuses it from now on (again is 204)."""
    await accounts.log_out(services, token)
    return Response(status_code=204)
