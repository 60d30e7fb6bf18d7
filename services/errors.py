"""How refusals and failures answer: the HTTP status of each domain error, and failures of the
machinery (Temporal, the database) rather than of the domain's rules."""

from __future__ import annotations

from domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    StepNotAllowed,
    TooManyAttempts,
    Unauthenticated,
)

# The HTTP status each kind of refusal answers with: the API's errors and the web's pages agree.
STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    StepNotAllowed: 409,
    Conflict: 409,
    NotFound: 404,
    Forbidden: 403,
    Unauthenticated: 401,
    TooManyAttempts: 429,
    Gone: 410,
}


class ServiceUnavailable(Exception):
    """A component a use case needs (Temporal, the database) cannot be reached now."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
