"""A process killed in the middle of sending a reminder (SIGKILL, on the real database, a real
SMTP server and a local SMS gateway): the retry never puts a second copy in anyone's hands."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.channels import Channels, SmsApiChannel, SmtpChannel
from activities.notifications import LinkSettings, NotificationActivities, SendReminderInput
from db.models import Notification
from domain.reminders import ReminderKind
from tests.notification_servers import Gateway, Mailbox, seed_pathway, sms_gateway, smtp_server

ROOT = Path(__file__).resolve().parents[2]
Kill = Callable[[], None]
LINKS = LinkSettings("test-secret-key-long-enough-for-hs256", "https://x/api/v1", "p@c.pl")


@pytest.fixture
def servers() -> Iterator[tuple[Mailbox, int, Gateway, str]]:
    with smtp_server() as (mailbox, port), sms_gateway() as (gateway, url):
        yield mailbox, port, gateway, url


def job(pathway: object, participant: object) -> SendReminderInput:
    return SendReminderInput(
        pathway_id=str(pathway),
        participant_id=str(participant),
        reminder="check_in_30:2026-10-01",
        kind=ReminderKind.CHECK_IN,
        due_at=datetime(2026, 10, 31, 9, 0, tzinfo=UTC),
    )


def sender(config: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.resilience.reminder_sender", json.dumps(config)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def killed_while_sending(config: dict[str, str], arm: Callable[[Kill], None]) -> int:
    """Start the sender; `arm(kill)` makes the server kill it when the message arrives."""
    process = sender(config)
    try:

        def kill() -> None:
            os.kill(process.pid, signal.SIGKILL)

        arm(kill)
        return await asyncio.to_thread(process.wait, 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def status_of(sessions: async_sessionmaker[AsyncSession], pathway: object) -> str:
    async with sessions() as session:
        row = (
            await session.execute(select(Notification).where(Notification.pathway_id == pathway))
        ).scalar_one()
        return row.status


async def test_killed_after_the_smtp_server_took_the_message_no_second_email(
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
    servers: tuple[Mailbox, int, Gateway, str],
) -> None:
    mailbox, port, _, _ = servers
    _, participant, pathway = await seed_pathway(sessions, consent_sms=False)
    config = {
        "database_url": database_url,
        "smtp_port": str(port),
        "job": job(pathway, participant).model_dump_json(),
    }

    def arm(kill: Kill) -> None:
        async def after_accept() -> None:
            kill()
            await asyncio.sleep(0.5)  # the 250 goes to a dead process

        mailbox.after_accept = after_accept

    code = await killed_while_sending(config, arm)
    assert code == -signal.SIGKILL
    mailbox.after_accept = None
    assert len(mailbox.messages) == 1  # the server has the message
    assert await status_of(sessions, pathway) == "sending"
    # Temporal retries the activity on another worker.
    channels = Channels(
        email=SmtpChannel(host="127.0.0.1", port=port, sender="p@c.pl"),
        sms=SmsApiChannel(token="t", sender="C", base_url="http://127.0.0.1:9"),
    )
    retry = NotificationActivities(sessions, channels, LINKS)
    result = await ActivityEnvironment().run(retry.send_reminder, job(pathway, participant))
    await channels.close()
    assert result.status == "unconfirmed"
    assert len(mailbox.messages) == 1
    assert max(mailbox.message_ids().values()) == 1


async def test_killed_after_the_gateway_took_the_sms_the_resend_is_refused_by_idx(
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
    servers: tuple[Mailbox, int, Gateway, str],
) -> None:
    mailbox, port, gateway, url = servers
    _, participant, pathway = await seed_pathway(sessions)
    config = {
        "database_url": database_url,
        "smtp_port": str(port),
        "gateway": url,
        "job": job(pathway, participant).model_dump_json(),
    }
    original = gateway.handle

    def arm(kill: Kill) -> None:
        def handle(path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
            answer = original(path, headers, body)
            kill()
            return answer

        gateway.handle = handle  # type: ignore[method-assign]

    code = await killed_while_sending(config, arm)
    assert code == -signal.SIGKILL
    gateway.handle = original  # type: ignore[method-assign]
    assert len(gateway.delivered) == 1
    assert await status_of(sessions, pathway) == "sending"
    channels = Channels(
        email=SmtpChannel(host="127.0.0.1", port=port, sender="p@c.pl"),
        sms=SmsApiChannel(token="t", sender="C", base_url=url, duplicate_errors=frozenset({53})),
    )
    retry = NotificationActivities(sessions, channels, LINKS)
    result = await ActivityEnvironment().run(retry.send_reminder, job(pathway, participant))
    await channels.close()
    assert result.status == "sent"
    assert len(gateway.requests) == 2  # the retry did send, under the same idx
    assert len(gateway.delivered) == 1  # and the gateway refused the copy
    assert await status_of(sessions, pathway) == "sent"
    assert mailbox.messages == []
