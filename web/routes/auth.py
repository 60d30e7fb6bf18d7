"""Logging in and out of the web interface, and choosing its language."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.settings import Settings
from domain.errors import TooManyAttempts, Unauthenticated
from services import accounts
from web.deps import ServicesDep
from web.i18n import LANG_COOKIE, LANGUAGES, Translator, language
from web.login import (
    SESSION_COOKIE,
    WEB_PREFIX,
    CsrfChecked,
    check_login_token,
    clear_session,
    cookie_name,
    new_login_token,
    set_login_token,
    set_session,
)
from web.render import page

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a page of the web interface itself: never an address elsewhere."""
    if target and target.startswith(WEB_PREFIX + "/") and "//" not in target and "\\" not in target:
        return target
    return WEB_PREFIX + "/"


@router.get("/")
async def root() -> RedirectResponse:
    """The product's front door is the web interface."""
    return RedirectResponse(WEB_PREFIX + "/", 303)


def _login_page(
    request: Request, settings: Settings, status: int = 200, **context: str
) -> HTMLResponse:
    token = new_login_token()
    values = {"error": "", "notice": "", "username": "", "next": ""} | context
    response = page(request, "login.html", None, status, login_token=token, **values)
    set_login_token(response, token, settings)
    return response


@router.get("/web/login")
async def login_form(
    request: Request, services: ServicesDep, next: str = "", bye: bool = False
) -> HTMLResponse:
    """The login page."""
    t = Translator(language(request))
    notice = t.gettext("You have logged out.") if bye else ""
    return _login_page(request, services.settings, next=next, notice=notice)


@router.post("/web/login", dependencies=[Depends(check_login_token)], response_model=None)
async def login(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Check the password as the API does (same throttle) and keep its token in a cookie."""
    settings = services.settings
    peer = request.client.host if request.client else None
    forwarded_for = request.headers.get("x-forwarded-for")
    try:
        token = await accounts.log_in(services, username, password, peer, forwarded_for)
    except (Unauthenticated, TooManyAttempts) as err:
        status = 429 if isinstance(err, TooManyAttempts) else 401
        message = Translator(language(request)).error(err)
        return _login_page(request, settings, status, error=message, username=username, next=next)
    response = RedirectResponse(safe_next(next), 303)
    set_session(response, token.access_token, settings)
    return response


@router.post("/web/logout")
async def logout(request: Request, _: CsrfChecked, services: ServicesDep) -> RedirectResponse:
    """Give the login's token back (refused from now on, everywhere) and forget it here."""
    token = request.cookies.get(cookie_name(SESSION_COOKIE, services.settings))
    with contextlib.suppress(Unauthenticated):
        await accounts.log_out(services, token)
    response = RedirectResponse(WEB_PREFIX + "/login?bye=1", 303)
    clear_session(response, services.settings)
    return response


@router.get("/web/language/{lang}")
async def choose_language(lang: str, services: ServicesDep, next: str = "") -> RedirectResponse:
    """Switch the interface's language (a preference only, kept for a year)."""
    response = RedirectResponse(safe_next(next), 303)
    if lang in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            path=WEB_PREFIX,
            samesite="lax",
            secure=services.settings.environment != "development",
        )
    return response
