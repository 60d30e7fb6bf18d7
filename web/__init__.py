"""The web interface for caseworkers and supervisors, served by the API's process under /web.

Server-rendered pages (Jinja2) with HTMX for partial updates and no build step. Every page reads
and writes through the same services as the API (services/), with the same checks of the
caller, the unit and the pathway: there is no second path to the data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from domain.errors import DomainError, Unauthenticated
from services.errors import STATUS, ServiceUnavailable
from web.i18n import Translator, language
from web.login import WEB_PREFIX, clear_session, is_web
from web.render import is_htmx, page
from web.routes import (
    appointments,
    auth,
    caseload,
    dashboard,
    participants,
    pathways,
    payroll,
    referrals,
    timetable,
    today,
)

Handler = Callable[[Request, Exception], Awaitable[Response]]


class _Static(StaticFiles):
    """Static files an old PC keeps for a day instead of asking again on every page."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["cache-control"] = "public, max-age=86400"
        return response


def install_web(app: FastAPI) -> None:
    """Mount the pages and static files, and answer web requests' errors with pages."""
    app.mount(
        f"{WEB_PREFIX}/static", _Static(directory=Path(__file__).parent / "static"), name="static"
    )
    for module in (
        auth,
        today,
        participants,
        pathways,
        appointments,
        dashboard,
        payroll,
        timetable,
        caseload,
        referrals,
    ):
        app.include_router(module.router)
    _answer_web_errors_with_pages(app)


def _answer_web_errors_with_pages(app: FastAPI) -> None:
    """Errors on /web pages become pages (a login redirect for 401); the API's stay JSON."""
    for kind in (DomainError, ServiceUnavailable, RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(kind, _web_or_api(app.exception_handlers[kind]))


def _web_or_api(api_handler: Callable[[Request, Any], Response | Awaitable[Response]]) -> Handler:
    async def handler(request: Request, err: Exception) -> Response:
        if is_web(request.url.path):
            return _error_page(request, err)
        answer = api_handler(request, err)
        return answer if isinstance(answer, Response) else await answer

    return handler


def _error_page(request: Request, err: Exception) -> Response:
    settings = request.app.state.settings
    if isinstance(err, Unauthenticated):
        # After logging in, a page is shown again; a form's address is not a page.
        back = f"{WEB_PREFIX}/"
        if request.method == "GET":
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"{WEB_PREFIX}/login?next={quote(back, safe='/')}"
        redirect: Response
        if is_htmx(request):
            redirect = Response(status_code=200, headers={"hx-redirect": target})
        else:
            redirect = RedirectResponse(target, 303)
        clear_session(redirect, settings)
        return redirect
    t = Translator(language(request))
    if isinstance(err, DomainError):
        status, message = STATUS.get(type(err), 400), t.error(err)
    elif isinstance(err, ServiceUnavailable):
        status, message = 503, t.error(DomainError(err.code, err.message))
    elif isinstance(err, StarletteHTTPException):
        status, message = err.status_code, t.error(DomainError("not_found", str(err.detail)))
    else:
        status, message = 422, t.gettext("Invalid value.")
    return page(request, "error.html", None, status, message=message)
