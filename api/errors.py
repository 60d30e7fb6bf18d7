"""One place that turns failures into the contract's error shape and status codes."""

from __future__ import annotations

import re
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    DomainError,
)
from services.errors import STATUS, ServiceUnavailable

log = structlog.get_logger(__name__)


class ErrorDetail(BaseModel):
    """What went wrong, for machines (`code`) and for people (`message`)."""

    code: str
    message: str
    details: dict[str, Any]


class ErrorBody(BaseModel):
    """The contract's error shape."""

    error: ErrorDetail


# Declared on every route, so the OpenAPI document tells the truth about failures.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (401, "Not authenticated"),
        (403, "Role not allowed"),
        (404, "Unknown, or outside the caller's unit"),
        (409, "Not allowed now, duplicate or limit"),
        (422, "Invalid input"),
        (429, "Too many attempts"),
        (503, "A component is unavailable"),
    )
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The contract's error shape."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def allowed_methods(request: Request) -> str | None:
    """The methods the OpenAPI document declares on the request's path (RFC 9110's `Allow`);
    None for a path outside the document (the web pages keep Starlette's own answer)."""
    path = request.scope["path"]
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)), path):
            methods |= {method.upper() for method in operations}
    return ", ".join(sorted(methods)) or None


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors, HTTP errors and outages."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, err: DomainError) -> JSONResponse:
        status = STATUS.get(type(err), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if status == 429:
            headers = {"Retry-After": str(err.details.get("retry_after_seconds", 60))}
        return JSONResponse(error_body(err.code, err.message, err.details), status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in err.errors()
        ]
        return JSONResponse(
            error_body("invalid_input", "The request is not valid.", {"errors": errors}), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 400:
            # FastAPI's "error parsing the body" (bytes that are not JSON, not UTF-8, a form
            # that does not decode): the contract says a body that does not parse is 422.
            return JSONResponse(
                error_body("invalid_body", "The request body does not parse.", {}), 422
            )
        code = {404: "not_found", 405: "method_not_allowed"}.get(err.status_code, "http_error")
        headers = dict(err.headers or {})
        allowed = allowed_methods(request) if err.status_code == 405 else None
        if allowed:
            headers["Allow"] = allowed
        return JSONResponse(error_body(code, str(err.detail)), err.status_code, headers or None)

    @app.exception_handler(ServiceUnavailable)
    async def _down(_: Request, err: ServiceUnavailable) -> JSONResponse:
        log.warning("service_unavailable", code=err.code)
        return JSONResponse(error_body(err.code, err.message), 503)
