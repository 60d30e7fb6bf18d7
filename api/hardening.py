"""HTTP hardening: security headers, input limits, closed CORS (logins: api/login_guard.py)."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from core.settings import Settings
from domain.scans import MAX_SCAN_BYTES

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
# The API answers JSON only; the interactive docs load their scripts and styles from a CDN.
_API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_DOCS = ("/docs", "/redoc")
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders:
    """Adds the security headers to every answer; personal data is never cached."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_HEADERS)
        if not str(scope.get("path", "")).startswith(_DOCS):
            extra += [_API_CSP, (b"cache-control", b"no-store")]
        if self.production:
            extra.append(_HSTS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *[(k, v) for k, v in extra if k not in present],
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# PostgreSQL text cannot hold NUL; no field of the contract needs it. Raw, form-encoded, JSON.
_NUL_FORMS = (b"\x00", b"%00", b"\\u0000")


class RequestGuard:
    """Refuses, with 422, bodies over `max_bytes` and NUL characters anywhere in the input.

    Bodies are small (the limit is a few hundred KiB), so the whole body is read here first.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        binary = _scan_upload(scope)
        limit = MAX_SCAN_BYTES + _FORM_OVERHEAD if binary else self.max_bytes
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = bool(message.get("more_body", False))
            if size > limit:
                await self._too_large(send)
                return
        body = b"".join(chunks)
        # A scan is binary (NUL bytes are its content, sealed, never stored as text).
        parts = (scope["query_string"],) if binary else (body, scope["query_string"])
        if any(form in part for form in _NUL_FORMS for part in parts):
            await _refuse(send, "nul_character", "The input contains a NUL character.", {})
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await _refuse(
            send,
            "body_too_large",
            f"The request body is larger than {self.max_bytes} bytes.",
            {"max_bytes": self.max_bytes},
        )


# An upload of a scan (issue 15) may be larger than other bodies, by its own limit.
_FORM_OVERHEAD = 64 * 1024


def _scan_upload(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    return (
        scope.get("method") == "POST"
        and path.startswith("/api/v1/pathways/")
        and path.endswith("/scans")
    )


async def _refuse(send: Send, code: str, message: str, details: dict[str, object]) -> None:
    body = json.dumps(error_body(code, message, details)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def install_hardening(app: FastAPI, settings: Settings) -> None:
    """Headers, body limit and CORS (closed unless origins are configured)."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Namespace"],
            allow_credentials=False,
        )
    app.add_middleware(RequestGuard, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, production=settings.environment == "production")
