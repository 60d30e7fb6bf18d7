"""What every channel takes and answers: a message with its outbox id, and three ways to fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Email:
    """One e-mail. `message_id` is stable per outbox key, so a copy would be recognisable.

    `to` is the header as written (one address, or several joined by commas); `recipients`, when
    given, are the envelope's addresses, one each: a relay takes no list in one RCPT.
    """

    outbox_id: str
    to: str
    subject: str
    body: str
    message_id: str
    headers: dict[str, str] = field(default_factory=dict)
    recipients: tuple[str, ...] = ()

    @property
    def envelope(self) -> list[str]:
        """The addresses the message goes to."""
        return list(self.recipients) or [self.to]


@dataclass(frozen=True)
class Sms:
    """One SMS. `idx` is the outbox key: gateways that know it refuse a second send."""

    outbox_id: str
    to: str
    text: str
    idx: str


class DeliveryError(Exception):
    """A send that did not go through. `code` is safe to store and log (never an address)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TransientError(DeliveryError):
    """Nothing was accepted and trying again later may work (connection refused, 4xx, 5xx)."""


class PermanentError(DeliveryError):
    """Nothing was accepted and trying again will not help (address refused, bad request)."""


class UncertainError(DeliveryError):
    """The other side may have accepted the message (connection lost after the data was sent)."""


class EmailChannel(Protocol):
    """Sends e-mail; answers the provider's reference."""

    name: str

    async def send_email(self, email: Email) -> str:
        """Send one e-mail or raise a DeliveryError."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class SmsChannel(Protocol):
    """Sends SMS; answers the provider's reference. A refused duplicate counts as sent."""

    name: str

    async def send_sms(self, sms: Sms) -> str:
        """Send one SMS or raise a DeliveryError."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
