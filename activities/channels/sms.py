"""SMS through an HTTP gateway: SMSAPI.pl's documented `sms.do`, or a generic signed webhook."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from activities.channels.base import PermanentError, Sms, TransientError, UncertainError

SMSAPI_URL = "https://api.smsapi.pl"


class SmsApiChannel:
    """SMSAPI.pl: POST /sms.do with a bearer token; `idx` + `check_idx=1` make the gateway
    refuse a second message with the same outbox key, and that refusal counts as sent."""

    name = "smsapi"

    def __init__(
        self,
        *,
        token: str,
        sender: str,
        base_url: str = SMSAPI_URL,
        duplicate_errors: frozenset[int] = frozenset(),
        timeout: float = 10.0,
    ) -> None:
        self._sender = sender
        self._duplicate_errors = duplicate_errors
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )

    async def send_sms(self, sms: Sms) -> str:
        """Send one SMS; a refused duplicate idx answers the idx itself."""
        form = {
            "to": sms.to,
            "message": sms.text,
            "from": self._sender,
            "format": "json",
            "encoding": "utf-8",
            "idx": sms.idx,
            "check_idx": "1",
        }
        answer = await _post(self._http, "/sms.do", data=form)
        try:
            body = answer.json()
        except ValueError:
            raise UncertainError("sms_gateway_unreadable_answer") from None
        error = body.get("error") if isinstance(body, dict) else None
        if error is not None:
            if int(error) in self._duplicate_errors:
                return f"idx:{sms.idx}"
            raise PermanentError(f"smsapi_error_{int(error)}")
        items = body.get("list") or [{}]
        return str(items[0].get("id", f"idx:{sms.idx}"))

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()


class WebhookSmsChannel:
    """A generic gateway: JSON POST signed with HMAC-SHA256 of the body; the outbox key travels as
    `Idempotency-Key` so the receiver can refuse a second copy (HTTP 409 counts as sent)."""

    name = "webhook"

    def __init__(self, *, url: str, secret: str, timeout: float = 10.0) -> None:
        self._url = url
        self._secret = secret.encode()
        self._http = httpx.AsyncClient(timeout=timeout)

    async def send_sms(self, sms: Sms) -> str:
        """Send one SMS as a signed JSON request."""
        body = json.dumps({"id": sms.idx, "to": sms.to, "message": sms.text}).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": sms.idx,
            "X-Signature": "sha256=" + sign(self._secret, body),
        }
        # 2xx is accepted; 409 is the receiver refusing a copy it already has: sent either way.
        await _post(self._http, self._url, content=body, headers=headers)
        return f"idx:{sms.idx}"

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()


def sign(secret: bytes, body: bytes) -> str:
    """The webhook's signature: hex HMAC-SHA256 of the raw body."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


async def _post(
    http: httpx.AsyncClient,
    url: str,
    *,
    data: dict[str, str] | None = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    try:
        answer = await http.post(url, data=data, content=content, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout):
        raise TransientError("sms_gateway_unreachable") from None
    except httpx.HTTPError:
        # The request may have reached the gateway (read timeout, connection reset).
        raise UncertainError("sms_gateway_no_answer") from None
    if answer.status_code == 409:
        return answer
    if answer.status_code >= 500 or answer.status_code == 429:
        raise TransientError(f"sms_gateway_http_{answer.status_code}")
    if answer.status_code >= 400:
        raise PermanentError(f"sms_gateway_http_{answer.status_code}")
    return answer
