"""The development sink: the outbox row and one log line (outbox id and channel, never content)."""

from __future__ import annotations

import structlog

from activities.channels.base import Email, Sms

log = structlog.get_logger(__name__)


class LogChannel:
    """Pretends to deliver: logs the outbox id only. The default outside production."""

    def __init__(self, name: str = "log") -> None:
        self.name = name

    async def send_email(self, email: Email) -> str:
        """Log that an e-mail would go out."""
        log.info("notification_logged", outbox_id=email.outbox_id, channel="email")
        return f"log:{email.outbox_id}"

    async def send_sms(self, sms: Sms) -> str:
        """Log that an SMS would go out."""
        log.info("notification_logged", outbox_id=sms.outbox_id, channel="sms")
        return f"log:{sms.outbox_id}"

    async def close(self) -> None:
        """Nothing to release."""
