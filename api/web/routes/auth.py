"""Logging in and out of the web interface, and choosing its language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import SettingsDep
from api.routes import auth as api_auth
from api.web.i18n import LANG_COOKIE, LANGUAGES, Translator, language
from api.web.render import page
from api.web.session import (
    WEB_PREFIX,
    CsrfChecked,
    check_login_token,
    clear_session,
    new_login_token,
    set_login_token,
    set_session,
)
from domain.errors import TooManyAttempts, Unauthenticated

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
    request: Request, settings: SettingsDep, status: int = 200, **context: str
) -> HTMLResponse:
    token = new_login_token()
    values = {"error": "", "notice": "", "username": "", "next": ""} | context
    response = page(request, "login.html", None, status, login_token=token, **values)
    set_login_token(response, token, settings)
    return response


@router.get("/web/login")
async def login_form(
    request: Request, settings: SettingsDep, next: str = "", bye: bool = False
) -> HTMLResponse:
    """The login page."""
    t = Translator(language(request))
    return _login_page(request, settings, next=next, notice=t("logout.done") if bye else "")


@router.post("/web/login", dependencies=[Depends(check_login_token)], response_model=None)
async def login(
    request: Request,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Check the password as the API does (same throttle) and keep its token in a cookie."""
    credentials = OAuth2PasswordRequestForm(username=username, password=password)
    try:
        token = await api_auth.login(request=request, form=credentials, settings=settings)
    except (Unauthenticated, TooManyAttempts) as err:
        status = 429 if isinstance(err, TooManyAttempts) else 401
        message = Translator(language(request)).error(err)
        return _login_page(request, settings, status, error=message, username=username, next=next)
    response = RedirectResponse(safe_next(next), 303)
    set_session(response, token.access_token, settings)
    return response


@router.post("/web/logout")
async def logout(_: CsrfChecked, settings: SettingsDep) -> RedirectResponse:
    """Forget the session in this browser."""
    response = RedirectResponse(WEB_PREFIX + "/login?bye=1", 303)
    clear_session(response, settings)
    return response


@router.get("/web/language/{lang}")
async def choose_language(lang: str, settings: SettingsDep, next: str = "") -> RedirectResponse:
    """Switch the interface's language (a preference only, kept for a year)."""
    response = RedirectResponse(safe_next(next), 303)
    if lang in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            path=WEB_PREFIX,
            samesite="lax",
            secure=settings.environment != "development",
        )
    return response
