"""List cursors that carry nothing personal and cannot be forged.

A cursor holds the sort values of the last row of a page that are not personal (a stage code, a
date, ids); names are looked up again from the id. Cursors travel in URLs, which proxies and
servers log, so no name or PESEL prefix is ever in one. Each is signed with the app's secret for
one list and order (`purpose`): an edited cursor, or one of another order, is 422.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from domain.errors import InvalidInput

_MAC_BYTES = 16


def seal_cursor(secret: str, purpose: str, values: Sequence[Any]) -> str:
    """The cursor for these values (JSON: strings and numbers), signed for `purpose`."""
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return f"{_b64(raw)}.{_b64(_mac(secret, purpose, raw))}"


def open_cursor(secret: str, purpose: str, cursor: str) -> list[Any]:
    """The values of a cursor this API gave out for `purpose`; 422 `invalid_cursor` otherwise."""
    try:
        body, _, mac = cursor.partition(".")
        raw = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _mac(secret, purpose, raw)):
            raise ValueError("not signed for this list")
        values = json.loads(raw)
        if not isinstance(values, list):
            raise ValueError("not a list")
        return values
    except (ValueError, binascii.Error) as err:
        raise InvalidInput(
            "invalid_cursor", "The cursor is not one this API gave out for this list and order."
        ) from err


def _mac(secret: str, purpose: str, raw: bytes) -> bytes:
    message = b"pathways-cursor\0" + purpose.encode() + b"\0" + raw
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()[:_MAC_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
