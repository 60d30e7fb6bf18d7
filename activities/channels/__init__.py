"""Delivery channels, chosen by settings: SMTP e-mail, an SMS gateway, or the log only.

Reusable by anything that sends (participants' reminders, caseworkers' digests):

    channels = build_channels(settings)
    await channels.email.send_email(Email(outbox_id=..., to=..., subject=..., body=...,
                                          message_id=message_id_for(key, settings.smtp_from)))
    await channels.close()
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from activities.channels.base import (
    DeliveryError,
    Email,
    EmailChannel,
    PermanentError,
    Sms,
    SmsChannel,
    TransientError,
    UncertainError,
)
from activities.channels.email import SmtpChannel
from activities.channels.log import LogChannel
from activities.channels.sms import SmsApiChannel, WebhookSmsChannel
from core.settings import Settings

__all__ = [
    "Channels",
    "DeliveryError",
    "Email",
    "EmailChannel",
    "LogChannel",
    "PermanentError",
    "Sms",
    "SmsApiChannel",
    "SmsChannel",
    "SmtpChannel",
    "TransientError",
    "UncertainError",
    "WebhookSmsChannel",
    "build_channels",
    "build_email_channel",
    "build_sms_channel",
    "message_id_for",
]


@dataclass
class Channels:
    """The process's e-mail and SMS channels."""

    email: EmailChannel
    sms: SmsChannel

    async def close(self) -> None:
        """Release both."""
        await self.email.close()
        await self.sms.close()


def build_email_channel(settings: Settings) -> EmailChannel:
    """SMTP when configured, else the log."""
    if settings.email_channel == "smtp":
        return SmtpChannel(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            use_tls=settings.smtp_use_tls,
            ca_file=settings.smtp_ca_file,
            timeout=settings.smtp_timeout_seconds,
            pool_size=settings.smtp_pool_size,
        )
    return LogChannel()


def build_sms_channel(settings: Settings) -> SmsChannel:
    """SMSAPI.pl, a signed webhook, or the log."""
    if settings.sms_channel == "smsapi":
        return SmsApiChannel(
            token=settings.smsapi_token,
            sender=settings.sms_sender,
            base_url=settings.smsapi_url,
            duplicate_errors=frozenset(settings.smsapi_duplicate_errors),
        )
    if settings.sms_channel == "webhook":
        assert settings.sms_webhook_url is not None  # the settings refuse it missing
        return WebhookSmsChannel(url=settings.sms_webhook_url, secret=settings.sms_webhook_secret)
    return LogChannel()


def build_channels(settings: Settings) -> Channels:
    """Both channels as the settings choose them."""
    return Channels(email=build_email_channel(settings), sms=build_sms_channel(settings))


def message_id_for(key: str, sender: str) -> str:
    """A Message-ID derived from an outbox key: the same message always carries the same id."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"
