"""The channels against a real SMTP server (aiosmtpd) and a local HTTP SMS gateway."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from activities.channels import (
    Email,
    LogChannel,
    PermanentError,
    Sms,
    SmsApiChannel,
    SmtpChannel,
    TransientError,
    WebhookSmsChannel,
    build_channels,
    message_id_for,
)
from activities.channels.sms import sign
from tests.notification_servers import free_port, self_signed_certificate, sms_gateway, smtp_server
from tests.support import settings_for_tests


def _email(n: int = 1, to: str = "osoba@example.org") -> Email:
    key = f"pathway-x:session:{n}"
    return Email(
        outbox_id=f"o-{n}",
        to=to,
        subject="Przypomnienie",
        body="Zapraszamy jutro o 10:00. Zażółć gęślą jaźń.",
        message_id=message_id_for(key, "przypomnienia@centrum.example"),
        headers={"List-Unsubscribe": "<https://example.org/u/abc>"},
    )


async def test_smtp_delivers_utf8_with_the_stable_message_id() -> None:
    with smtp_server() as (mailbox, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender="przypomnienia@centrum.example")
        for n in (1, 2, 3):
            await channel.send_email(_email(n))
        await channel.close()
    assert len(mailbox.messages) == 3
    first = mailbox.messages[0]
    assert first["Message-ID"] == message_id_for("pathway-x:session:1", "x@centrum.example")
    assert first["List-Unsubscribe"] == "<https://example.org/u/abc>"
    body = first.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Zażółć gęślą jaźń" in body.decode("utf-8")


async def test_smtp_refused_recipient_is_permanent_and_unreachable_server_transient() -> None:
    with smtp_server() as (mailbox, port):
        mailbox.refuse.add("nobody@example.org")
        channel = SmtpChannel(host="127.0.0.1", port=port, sender="p@centrum.example")
        with pytest.raises(PermanentError) as refused:
            await channel.send_email(_email(1, to="nobody@example.org"))
        assert refused.value.code == "smtp_550"
        await channel.send_email(_email(2))  # the channel still works after a refusal
        await channel.close()
    assert len(mailbox.messages) == 1
    dead = SmtpChannel(host="127.0.0.1", port=free_port(), sender="p@centrum.example", timeout=2)
    with pytest.raises(TransientError):
        await dead.send_email(_email(3))


async def test_smtp_upgrades_with_starttls_when_the_relay_offers_it(tmp_path: Path) -> None:
    certificate = self_signed_certificate(tmp_path)
    with smtp_server(certificate) as (mailbox, port):
        channel = SmtpChannel(
            host="127.0.0.1", port=port, sender="p@centrum.example", ca_file=certificate[0]
        )
        await channel.send_email(_email(1))
        await channel.close()
    assert mailbox.encrypted == [True]


async def test_smtp_with_starttls_required_refuses_a_relay_without_it() -> None:
    with smtp_server() as (mailbox, port):
        plain_only = SmtpChannel(
            host="127.0.0.1", port=port, sender="p@centrum.example", starttls="required"
        )
        with pytest.raises(TransientError):
            await plain_only.send_email(_email(1))
        relaxed = SmtpChannel(host="127.0.0.1", port=port, sender="p@centrum.example")
        await relaxed.send_email(_email(2))  # opportunistic: a relay without TLS still takes it
        await relaxed.close()
    assert mailbox.encrypted == [False] and len(mailbox.messages) == 1


async def test_smtp_gives_each_recipient_its_own_rcpt() -> None:
    two = ("kierownik@ops.example.pl", "zastepca@ops.example.pl")
    with smtp_server() as (mailbox, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender="zadania@ops.example.pl")
        email = _email(1, to=", ".join(two))
        await channel.send_email(Email(**{**email.__dict__, "recipients": two}))
        await channel.close()
    assert mailbox.envelopes == [list(two)]
    assert mailbox.messages[0]["To"] == ", ".join(two)


async def test_smsapi_sends_the_documented_form_and_a_repeated_idx_counts_as_sent() -> None:
    with sms_gateway() as (gateway, url):
        channel = SmsApiChannel(
            token="t0ken", sender="CENTRUM", base_url=url, duplicate_errors=frozenset({53})
        )
        sms = Sms(outbox_id="o-1", to="48600100200", text="Zapraszamy jutro", idx="k-1")
        first = await channel.send_sms(sms)
        again = await channel.send_sms(sms)
        await channel.close()
    assert first == "gw-1"
    assert again == "idx:k-1"
    assert len(gateway.delivered) == 1
    request = gateway.requests[0]
    assert request["path"] == "/sms.do"
    assert request["headers"]["authorization"] == "Bearer t0ken"
    assert request["fields"] == {
        "to": "48600100200",
        "message": "Zapraszamy jutro",
        "from": "CENTRUM",
        "format": "json",
        "encoding": "utf-8",
        "idx": "k-1",
        "check_idx": "1",
    }


async def test_smsapi_error_is_permanent_and_http_500_transient() -> None:
    with sms_gateway() as (gateway, url):
        channel = SmsApiChannel(token="t", sender="C", base_url=url, duplicate_errors=frozenset())
        sms = Sms(outbox_id="o-1", to="48600100200", text="x", idx="k-1")
        await channel.send_sms(sms)
        with pytest.raises(PermanentError) as err:
            await channel.send_sms(sms)  # 53 is not declared a duplicate here
        assert err.value.code == "smsapi_error_53"
        gateway.fail_with = 500
        with pytest.raises(TransientError):
            await channel.send_sms(Sms(outbox_id="o-2", to="1", text="x", idx="k-2"))
        await channel.close()


async def test_webhook_is_signed_and_carries_the_idempotency_key() -> None:
    with sms_gateway() as (gateway, url):
        channel = WebhookSmsChannel(url=f"{url}/hook", secret="s3cret")
        sms = Sms(outbox_id="o-1", to="+48600100200", text="Dzień dobry", idx="k-9")
        await channel.send_sms(sms)
        await channel.send_sms(sms)  # 409 from the receiver: already there, counts as sent
        await channel.close()
    assert len(gateway.delivered) == 1
    request = gateway.requests[0]
    body = json.dumps({"id": "k-9", "to": "+48600100200", "message": "Dzień dobry"}).encode()
    assert request["headers"]["x-signature"] == "sha256=" + sign(b"s3cret", body)
    assert request["headers"]["idempotency-key"] == "k-9"


async def test_settings_choose_the_channels_and_development_only_logs() -> None:
    default = build_channels(settings_for_tests())
    assert isinstance(default.email, LogChannel) and isinstance(default.sms, LogChannel)
    chosen = build_channels(
        settings_for_tests(email_channel="smtp", sms_channel="smsapi", smsapi_token="t")
    )
    assert isinstance(chosen.email, SmtpChannel) and isinstance(chosen.sms, SmsApiChannel)
    await chosen.close()
    with pytest.raises(ValueError, match="sms_webhook_url"):
        settings_for_tests(sms_channel="webhook")
