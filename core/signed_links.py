"""Signed tokens for links that need no login (the unsubscribe link in every e-mail)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

_PURPOSE = b"pathways-unsubscribe-v1"


_CHANNELS = {"email": b"e", "sms": b"s"}


def unsubscribe_token(secret: str, participant_id: uuid.UUID, channel: str) -> str:
    """A short token naming a participant and a channel, signed with the app's secret."""
    payload = participant_id.bytes + _CHANNELS[channel]
    return _b64(payload + _mac(secret, payload))


def open_unsubscribe_token(secret: str, token: str) -> tuple[uuid.UUID, str] | None:
    """The participant and channel of a genuine token; None for anything else."""
    try:
        raw = _unb64(token)
    except ValueError:
        return None
    payload, mac = raw[:17], raw[17:]
    if len(payload) != 17 or not hmac.compare_digest(mac, _mac(secret, payload)):
        return None
    channel = next((name for name, code in _CHANNELS.items() if code == payload[16:]), None)
    return None if channel is None else (uuid.UUID(bytes=payload[:16]), channel)


def _mac(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), _PURPOSE + b"\0" + payload, hashlib.sha256).digest()[:12]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
