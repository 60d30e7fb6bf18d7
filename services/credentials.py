"""Staff credentials: passwords (argon2) and bearer tokens (JWT)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from domain.errors import Unauthenticated

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps response times alike.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    """An argon2 hash of the password."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether the password matches; a missing user costs the same time."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


@dataclass(frozen=True)
class TokenClaims:
    """What a valid bearer token says: whose it is, its own id, and when it expires."""

    user_id: uuid.UUID
    jti: str
    expires_at: datetime


def issue_token(user_id: uuid.UUID, secret: str, minutes: int) -> str:
    """A signed bearer token for the user, with an id of its own (so logout can revoke it)."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def read_token(token: str, secret: str) -> TokenClaims:
    """The claims of a valid, unexpired token (`Unauthenticated` otherwise)."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sub", "jti"]}
        )
        return TokenClaims(
            user_id=uuid.UUID(claims["sub"]),
            jti=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
    except (jwt.PyJWTError, ValueError, TypeError) as err:
        raise Unauthenticated("invalid_token", "The token is invalid or has expired.") from err
