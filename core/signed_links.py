"""Signed tokens for links that need no login (the unsubscribe link in every e-mail).

A token names a participant, a channel and the day it was made; it is signed with the app's
secret and works for `unsubscribe_link_days` from that day. Tokens made before they carried
their day (version 1) still verify, and count as expired.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

_PURPOSE = b"pathways-unsubscribe-v1"
_PURPOSE_DATED = b"pathways-unsubscribe-v2"
_EPOCH = date(2000, 1, 1)
_CHANNELS = {"email": b"e", "sms": b"s"}
_MAC_BYTES = 12


@dataclass(frozen=True)
class UnsubscribeLink:
    """What a genuine token says."""

    participant_id: uuid.UUID
    channel: str
    issued_on: date | None  # None: made before tokens carried their day

    def expired(self, today: date, days: int) -> bool:
        """Whether the link no longer works on `today`."""
        return self.issued_on is None or today > self.issued_on + timedelta(days=days)


def unsubscribe_token(secret: str, participant_id: uuid.UUID, channel: str, issued_on: date) -> str:
    """A short token naming a participant, a channel and the day, signed with the app's secret."""
    day = (issued_on - _EPOCH).days.to_bytes(2, "big")
    payload = participant_id.bytes + _CHANNELS[channel] + day
    return _b64(payload + _mac(secret, _PURPOSE_DATED, payload))


def open_unsubscribe_token(secret: str, token: str) -> UnsubscribeLink | None:
    """What a genuine token says; None for anything else."""
    try:
        raw = _unb64(token)
    except ValueError:
        return None
    for purpose, length in ((_PURPOSE_DATED, 19), (_PURPOSE, 17)):
        payload, mac = raw[:length], raw[length:]
        if len(raw) == length + _MAC_BYTES and hmac.compare_digest(
            mac, _mac(secret, purpose, payload)
        ):
            channel = next((n for n, code in _CHANNELS.items() if code == payload[16:17]), None)
            if channel is None:
                return None
            issued = _EPOCH + timedelta(days=int.from_bytes(payload[17:19], "big"))
            return UnsubscribeLink(
                uuid.UUID(bytes=payload[:16]), channel, issued if length == 19 else None
            )
    return None


def _mac(secret: str, purpose: bytes, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose + b"\0" + payload, hashlib.sha256).digest()[
        :_MAC_BYTES
    ]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
