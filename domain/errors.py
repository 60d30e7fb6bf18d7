"""Domain errors: each has a machine-readable code and maps to one HTTP status in the API."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A rule said no. `code` is snake_case and stable; `message` is for people."""

    kind: ClassVar[str] = "domain_error"

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


class InvalidInput(DomainError):
    """The input itself is wrong (HTTP 422)."""

    kind = "invalid_input"


class StepNotAllowed(DomainError):
    """The step is not allowed in the pathway's current state (HTTP 409)."""

    kind = "step_not_allowed"


class Conflict(DomainError):
    """A duplicate or a limit (HTTP 409)."""

    kind = "conflict"


class NotFound(DomainError):
    """Unknown, or outside the caller's unit (HTTP 404)."""

    kind = "not_found"


class Forbidden(DomainError):
    """The caller's role may not do this (HTTP 403)."""

    kind = "forbidden"


class Unauthenticated(DomainError):
    """No valid credentials (HTTP 401)."""

    kind = "unauthenticated"


class Gone(DomainError):
    """It existed and no longer works, e.g. an expired link (HTTP 410)."""

    kind = "gone"


class TooManyAttempts(DomainError):
    """Too many attempts in a short time, e.g. failed logins (HTTP 429)."""

    kind = "too_many_attempts"


ERROR_KINDS: dict[str, type[DomainError]] = {
    cls.kind: cls
    for cls in (InvalidInput, StepNotAllowed, Conflict, NotFound, Forbidden, Unauthenticated)
}


def rebuild(kind: str, code: str, message: str, details: dict[str, Any] | None) -> DomainError:
    """Recreate a domain error that crossed a process boundary (e.g. a Temporal update failure)."""
    return ERROR_KINDS.get(kind, DomainError)(code, message, details)
