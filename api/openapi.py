"""The OpenAPI document, exact: what FastAPI cannot say from the routes' signatures alone.

- Pages (the unsubscribe link) answer HTML only where they do; their errors are JSON.
- Links between operations (a created participant's id feeds its reads, pathways, erasure...),
  so that a client, or a stateful fuzzer, can follow what it created.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.links import LINKS

_ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorBody"}
_HTML = {"text/html": {"schema": {"type": "string"}}}
# (method, path) -> the statuses answered with a page; every other status there is JSON.
_PAGES: dict[tuple[str, str], set[str]] = {
    ("get", "/api/v1/notifications/unsubscribe/{token}"): {"200", "410"},
}
# (method, path) -> statuses answered with a page or JSON, by the request's `Accept`.
_PAGE_OR_JSON: dict[tuple[str, str], set[str]] = {
    ("post", "/api/v1/notifications/unsubscribe/{token}"): {"200"},
}


# Documents made in this process, by the routes they describe: every app built from the same
# routes (each API replica in a test, each app a process makes) shares one, read-only.
_DOCUMENTS: dict[tuple[tuple[str, str, str], ...], dict[str, Any]] = {}


def install_openapi(app: FastAPI) -> None:
    """Serve the generated document with the corrections and links below (computed once)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            routes = _routes_of(app)
            document = _DOCUMENTS.get(routes)
            if document is None:
                document = generate()
                _content_types(document)
                _links(document)
                _DOCUMENTS[routes] = document
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


def _routes_of(app: FastAPI) -> tuple[tuple[str, str, str], ...]:
    """What the document is made from: each route's path, methods and handler."""
    return tuple(
        (
            getattr(route, "path", ""),
            ",".join(sorted(getattr(route, "methods", None) or ())),
            getattr(getattr(route, "endpoint", None), "__qualname__", ""),
        )
        for route in app.routes
    )


def _content_types(document: dict[str, Any]) -> None:
    for (method, path), pages in _PAGES.items():
        for status, response in document["paths"][path][method]["responses"].items():
            response["content"] = (
                _HTML if status in pages else {"application/json": {"schema": _ERROR_SCHEMA}}
            )
    for (method, path), statuses in _PAGE_OR_JSON.items():
        for status in statuses:
            response = document["paths"][path][method]["responses"][status]
            response["content"] = {**response.get("content", {}), **_HTML}


def _links(document: dict[str, Any]) -> None:
    for (method, path, status), links in LINKS.items():
        operation = document["paths"][path][method]
        operation["responses"][status].setdefault("links", {}).update(links)
