"""Local stand-ins for the outside world of notifications: an SMTP server and an SMS gateway."""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Mailbox:
    """What the SMTP server accepted, in order."""

    messages: list[Message] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    envelopes: list[list[str]] = field(default_factory=list)  # each message's RCPT addresses
    encrypted: list[bool] = field(default_factory=list)  # whether each came over TLS
    # Called after a message is accepted and before the 250 goes back (to kill a sender there).
    after_accept: Any = None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content, policy=policy.default))
        self.envelopes.append(list(envelope.rcpt_tos))
        self.encrypted.append(session.ssl is not None)
        if self.after_accept is not None:
            await self.after_accept()
        return "250 Message accepted"

    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID arrived (duplicates show as counts above 1)."""
        return Counter(str(m["Message-ID"]) for m in self.messages)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files (the certificate is its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "relay.crt", folder / "relay.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@contextmanager
def smtp_server(
    certificate: tuple[Path, Path] | None = None,
) -> Iterator[tuple[Mailbox, int]]:
    """An in-process aiosmtpd server on a free port; with a certificate it offers STARTTLS."""
    mailbox = Mailbox()
    port = free_port()
    tls: dict[str, Any] = {}
    if certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        tls = {"tls_context": context}
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **tls)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@dataclass
class Gateway:
    """What the fake SMS gateway received; it refuses a second message with the same idx the way
    SMSAPI does with check_idx=1 (an error code in a 200 answer)."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[dict[str, str]] = field(default_factory=list)
    duplicate_error: int = 53
    fail_with: int | None = None  # answer this HTTP status instead
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        with self.lock:
            if headers.get("content-type", "").startswith("application/json"):
                fields = json.loads(body)
            else:
                fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.requests.append({"path": path, "headers": headers, "fields": fields})
            if self.fail_with is not None:
                return self.fail_with, {"message": "failure"}
            idx = fields.get("idx") or fields.get("id")
            if any((d.get("idx") or d.get("id")) == idx for d in self.delivered):
                if path.endswith("sms.do"):
                    return 200, {"error": self.duplicate_error, "message": "idx already used"}
                return 409, {"message": "duplicate"}
            self.delivered.append(fields)
            return 200, {"count": 1, "list": [{"id": f"gw-{len(self.delivered)}"}]}


@contextmanager
def sms_gateway() -> Iterator[tuple[Gateway, str]]:
    """A local HTTP server in a thread standing in for the SMS gateway; yields its base URL."""
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = gateway.handle(self.path, headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def seed_pathway(
    sessions: Any,
    *,
    phone: str | None = "+48600100200",
    email: str | None = "osoba@example.org",
    consent_sms: bool = True,
    consent_email: bool = True,
    language: str = "pl",
    unit_phone: str | None = "+48 12 345 67 89",
) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A unit, a participant and a registered pathway straight in the database.

    Answers (unit id, participant id, pathway id).
    """
    from db.models import Participant, Pathway, Unit, User
    from db.session import unit_of_work

    tag = uuid.uuid4().hex[:8]
    unit = Unit(code=f"N-{tag}", name="Centrum Aktywności Lokalnej", kind="cis", phone=unit_phone)
    async with unit_of_work(sessions) as session:
        session.add(unit)
        await session.flush()
        user = User(username=f"n-{tag}", password_hash="x", role="caseworker", unit_id=unit.id)
        session.add(user)
        await session.flush()
        participant = Participant(
            unit_id=unit.id,
            first_name="Jan",
            last_name="Testowy",
            birth_date=date(1980, 1, 1),
            phone=phone,
            email=email,
            consent_sms=consent_sms,
            consent_email=consent_email,
            language=language,
            created_by=user.id,
        )
        session.add(participant)
        await session.flush()
        pathway = Pathway(
            id=uuid.uuid4(),
            participant_id=participant.id,
            unit_id=unit.id,
            caseworker_id=user.id,
            programme="cis",
            started_on=date(2026, 11, 2),
            stage="cis_trial",
        )
        session.add(pathway)
        await session.flush()
        return unit.id, participant.id, pathway.id
