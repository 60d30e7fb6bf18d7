"""E-mail over SMTP (aiosmtplib), with a small pool of open connections."""

from __future__ import annotations

import asyncio
import base64
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Literal

import aiosmtplib

from activities.channels.base import Email, PermanentError, TransientError, UncertainError

# Long header lines (an unsubscribe URL) stay whole instead of being encoded in pieces.
_POLICY = policy.SMTP.clone(max_line_length=998)
StartTls = Literal["opportunistic", "required", "off"]
# aiosmtplib's start_tls: None upgrades when the relay offers STARTTLS, True insists, False never.
_START_TLS: dict[str, bool | None] = {"opportunistic": None, "required": True, "off": False}


class SmtpChannel:
    """Sends through one SMTP relay; connections are reused, a broken one is dropped."""

    name = "smtp"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: StartTls = "opportunistic",
        use_tls: bool = False,
        ca_file: Path | None = None,
        timeout: float = 10.0,
        pool_size: int = 4,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._username, self._password = username, password
        # TLS from the first byte needs no upgrade; otherwise STARTTLS as the setting says.
        self._start_tls = False if use_tls else _START_TLS[starttls]
        self._use_tls, self._timeout = use_tls, timeout
        self._ca_file = str(ca_file) if ca_file else None
        self._idle: list[aiosmtplib.SMTP] = []
        self._slots = asyncio.Semaphore(pool_size)

    def render(self, email: Email) -> EmailMessage:
        """The MIME message: UTF-8 text with the stable Message-ID."""
        message = EmailMessage(policy=_POLICY)
        message["From"] = self._sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Message-ID"] = email.message_id
        message["Date"] = formatdate(localtime=False, usegmt=True)
        for name, value in email.headers.items():
            message[name] = value
        message.set_content(email.body, charset="utf-8")
        return message

    def compose(self, email: Email) -> bytes:
        """The message as bytes: a plain UTF-8 text part in base64, headers RFC 2047-encoded.

        Written out directly because the `email` package's header machinery costs more CPU
        than the rest of a reminder's path; non-ASCII addresses take that road anyway.
        """
        if not (self._sender.isascii() and email.to.isascii()):
            return self.render(email).as_bytes(policy=_POLICY)
        headers = {
            "From": self._sender,
            "To": email.to,
            "Subject": email.subject,
            "Message-ID": email.message_id,
            "Date": formatdate(localtime=False, usegmt=True),
            **email.headers,
            "MIME-Version": "1.0",
            "Content-Type": 'text/plain; charset="utf-8"',
            "Content-Transfer-Encoding": "base64",
        }
        head = "".join(f"{name}: {_header_value(value)}\r\n" for name, value in headers.items())
        body = base64.encodebytes(email.body.encode()).replace(b"\n", b"\r\n")
        return head.encode("ascii") + b"\r\n" + body

    async def send_email(self, email: Email) -> str:
        """Send one e-mail; failures are classified as transient, permanent or uncertain."""
        message = self.compose(email)
        async with self._slots:
            client = await self._client()
            try:
                await client.sendmail(self._sender, email.envelope, message)
            except aiosmtplib.SMTPRecipientsRefused as err:
                await _drop(client)
                codes = {r.code for r in err.recipients}
                raise _by_code(min(codes, default=550)) from None
            except aiosmtplib.SMTPResponseException as err:
                await _drop(client)
                raise _by_code(err.code) from None
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError):
                # The data may have reached the server before the connection broke.
                await _drop(client)
                raise UncertainError("smtp_connection_lost") from None
            self._keep(client)
        return email.message_id

    async def close(self) -> None:
        """Quit every idle connection."""
        idle, self._idle = self._idle, []
        for client in idle:
            await _drop(client)

    async def _client(self) -> aiosmtplib.SMTP:
        while self._idle:
            client = self._idle.pop()
            if client.is_connected:
                return client
        client = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            use_tls=self._use_tls,
            start_tls=self._start_tls,
            cert_bundle=self._ca_file,
            timeout=self._timeout,
        )
        try:
            await client.connect()
            if self._username and self._password:
                await client.login(self._username, self._password)
        except aiosmtplib.SMTPAuthenticationError:
            await _drop(client)
            raise PermanentError("smtp_auth_refused") from None
        except (aiosmtplib.SMTPException, OSError):
            await _drop(client)
            raise TransientError("smtp_unreachable") from None
        return client

    def _keep(self, client: aiosmtplib.SMTP) -> None:
        if client.is_connected:
            self._idle.append(client)


def _header_value(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise PermanentError("header_line_break")  # never let a value add a header
    if value.isascii():
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


def _by_code(code: int) -> TransientError | PermanentError:
    kind = TransientError if 400 <= code < 500 else PermanentError
    return kind(f"smtp_{code}")


async def _drop(client: aiosmtplib.SMTP) -> None:
    try:
        if client.is_connected:
            await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()
