"""Requests are held to the OpenAPI document itself: what it forbids is refused with 422.

Pydantic, in its lax mode, takes more than the document says: `"1"` or `"on"` for a boolean, a
number for a date (`0` is 1970-01-01), `1.0` for an integer. The document is the contract, so
each request's JSON body and query parameters are validated against the operation's schemas
(formats included) before the route sees them; a refusal has the contract's error shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import jsonschema_rs
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

_INTEGER = re.compile(r"-?(0|[1-9]\d*)")
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_BOOLEAN = {"true": True, "false": False}

Validator = Callable[[Any], list[dict[str, Any]]]
# Compiled validators, by the document (apps of the same routes share one) and the place checked.
_VALIDATORS: dict[tuple[int, str, str, str, str], Validator | None] = {}


def conforming_request(app: FastAPI, prefix: str) -> Callable[[Request], Any]:
    """A dependency (for every API router) that refuses what the document forbids."""

    @cache
    def operation(method: str, path: str) -> dict[str, Any]:
        # An included router's route knows its path without the prefix it was included under.
        paths = app.openapi()["paths"]
        found: dict[str, Any] = paths.get(path, paths.get(prefix + path, {})).get(method, {})
        return found

    @cache
    def validator(method: str, path: str, where: str, name: str) -> Validator | None:
        key = (id(app.openapi()), method, path, where, name)
        if key not in _VALIDATORS:
            _VALIDATORS[key] = compile_validator(method, path, where, name)
        return _VALIDATORS[key]

    def compile_validator(method: str, path: str, where: str, name: str) -> Validator | None:
        found = operation(method, path)
        if where == "body":
            content = found.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
        else:
            params = [p for p in found.get("parameters", []) if p["in"] == where]
            schema = next((p.get("schema") for p in params if p["name"] == name), None)
        if schema is None:
            return None
        compiled = jsonschema_rs.validator_for(
            {**schema, "components": app.openapi().get("components", {})}, validate_formats=True
        )

        def errors(value: Any) -> list[dict[str, Any]]:
            return [
                {"loc": [where, *([name] if name else []), *e.instance_path], "msg": e.message}
                for e in compiled.iter_errors(value)
            ]

        return errors

    async def check(request: Request) -> None:
        route = request.scope.get("route")
        if not isinstance(route, APIRoute):
            return
        method, path = request.method.lower(), route.path_format
        problems: list[dict[str, Any]] = []
        declared = {p["name"] for p in operation(method, path).get("parameters", [])}
        for name, raw in request.query_params.multi_items():
            check_value = validator(method, path, "query", name) if name in declared else None
            if check_value is not None:
                problems += _query_problems(check_value, raw)
        if _is_json(request):
            check_body = validator(method, path, "body", "")
            body = await request.body()
            if check_body is not None and body:
                try:
                    value = json.loads(body)
                except ValueError:
                    value = None  # not JSON: the route's own parsing answers 422
                else:
                    problems += check_body(value)
        if problems:
            raise RequestValidationError(
                [{"type": "schema", "loc": p["loc"], "msg": p["msg"]} for p in problems]
            )

    return check


def _is_json(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() in ("application/json", "")


def _query_problems(errors: Validator, raw: str) -> list[dict[str, Any]]:
    """A query value is text: it conforms if it reads as one of the types its schema allows."""
    candidates: list[Any] = [raw]
    if _INTEGER.fullmatch(raw):
        candidates.append(int(raw))
    if _NUMBER.fullmatch(raw):
        candidates.append(float(raw))
    if raw in _BOOLEAN:
        candidates.append(_BOOLEAN[raw])
    found: list[dict[str, Any]] = []
    for candidate in candidates:
        found = errors(candidate)
        if not found:
            return []
    return found
