"""The browser's login: the same bearer token the API issues, in an HttpOnly cookie that only
the web's pages read (the JSON API never reads a cookie and stays bearer-only, no CSRF there),
and the CSRF tokens.

Outside development the cookies are named `__Host-…`: a browser keeps such a cookie only if it
is Secure, for the whole site (path /) and of this host alone (no Domain), so no other host or
subdomain can plant or shadow it. In development over plain http a browser refuses a Secure
cookie from a site that is not localhost, and every `__Host-` cookie without Secure, so the
cookies there are named without the prefix and not Secure.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from core.settings import Settings
from domain.errors import Forbidden

WEB_PREFIX = "/web"
SESSION_COOKIE = "pathways_session"
LOGIN_COOKIE = "pathways_login"  # the login form's double-submit token (no session yet)
HOST_ONLY = "__Host-"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def is_web(path: str) -> bool:
    """Whether a path belongs to the web interface."""
    return path == WEB_PREFIX or path.startswith(WEB_PREFIX + "/")


def csrf_token(session_token: str, secret: str) -> str:
    """The session's CSRF token: bound to the session, so a new login gets a new one."""
    return hmac.new(secret.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def new_login_token() -> str:
    """A random token for the login form (before there is a session)."""
    return secrets.token_urlsafe(24)


def _secure(settings: Settings) -> bool:
    return settings.environment != "development"


def cookie_name(base: str, settings: Settings) -> str:
    """A cookie's name: `__Host-` prefixed wherever cookies are Secure."""
    return HOST_ONLY + base if _secure(settings) else base


def set_session(response: Response, token: str, settings: Settings) -> None:
    """Keep the bearer token in an HttpOnly cookie (read for the web paths only)."""
    response.set_cookie(
        cookie_name(SESSION_COOKIE, settings),
        token,
        max_age=settings.token_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(settings),
    )
    response.delete_cookie(cookie_name(LOGIN_COOKIE, settings), path="/", secure=_secure(settings))


def clear_session(response: Response, settings: Settings) -> None:
    """Forget the session in this browser."""
    response.delete_cookie(
        cookie_name(SESSION_COOKIE, settings),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(settings),
    )


def set_login_token(response: Response, token: str, settings: Settings) -> None:
    """The login form's double-submit cookie."""
    response.set_cookie(
        cookie_name(LOGIN_COOKIE, settings),
        token,
        max_age=3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(settings),
    )


async def _sent_token(request: Request) -> str | None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()  # cached by Starlette; the route reads it again
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent


async def _check_csrf(request: Request) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    settings: Settings = request.app.state.settings
    session_token = request.cookies.get(cookie_name(SESSION_COOKIE, settings))
    sent = await _sent_token(request)
    expected = csrf_token(session_token, settings.secret_key) if session_token else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise Forbidden("csrf_failed", "The form is stale or was not sent from this site.")


async def check_login_token(request: Request) -> None:
    """The login form must carry the token its page set in the cookie."""
    settings: Settings = request.app.state.settings
    cookie = request.cookies.get(cookie_name(LOGIN_COOKIE, settings))
    sent = await _sent_token(request)
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise Forbidden("csrf_failed", "The form is stale or was not sent from this site.")


# Every state-changing request of a signed-in page carries the session's CSRF token.
CsrfChecked = Annotated[None, Depends(_check_csrf)]


def session_csrf(request: Request, settings: Settings) -> str:
    """The CSRF token for the forms of this page ('' when not signed in)."""
    token = request.cookies.get(cookie_name(SESSION_COOKIE, settings))
    return csrf_token(token, settings.secret_key) if token else ""
