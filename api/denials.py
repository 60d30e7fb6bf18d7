"""Denied requests are audited (services/denials.py): this wraps the API's error answer, so a
403, or a 404 on an id the caller may not reach, is recorded before the answer is made, for the
API's requests and the web's pages alike."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from domain.errors import DomainError, Forbidden, NotFound
from services.context import Caller, Services
from services.denials import Denial

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]


def install_denial_audit(app: FastAPI) -> None:
    """Audit denials before the API's (or the web's) error answer is made."""
    answer: Handler = app.exception_handlers[DomainError]

    async def audited(request: Request, err: Exception) -> Response:
        caller = getattr(request.state, "caller", None)
        if isinstance(err, Forbidden | NotFound) and isinstance(caller, Caller):
            services: Services = request.app.state.services
            await services.denials.record(caller, _denial(request, err))
        response = answer(request, err)
        return response if isinstance(response, Response) else await response

    app.add_exception_handler(DomainError, audited)


def _denial(request: Request, err: Forbidden | NotFound) -> Denial:
    route = getattr(request.scope.get("route"), "path", "unmatched")
    params = request.path_params
    return Denial(
        status=403 if isinstance(err, Forbidden) else 404,
        code=err.code,
        request=f"{request.method} {route}",
        participant_id=_uuid(params.get("participant_id")),
        pathway_id=_uuid(params.get("pathway_id")),
    )


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None
