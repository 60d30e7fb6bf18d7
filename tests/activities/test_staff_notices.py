"""The notice of an administrator's act: read from the audit entry, sent once to every
supervisor of the unit, naming who, from where, what and when; nothing for other acts."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.channels import SmtpChannel
from activities.digest import StaffMailSettings
from activities.staff_notices import StaffNoticeActivities
from activities.staff_sending import SendStatus
from db import audit
from db.audit import Actor
from db.session import unit_of_work
from domain.oversight import StaffNoticeInput
from domain.roles import Role
from tests.notification_servers import smtp_server
from tests.staff_data import make_unit

SENDER = "zadania@ops.example.pl"
MAIL = StaffMailSettings(sender=SENDER, links="https://pathways.example/api/v1")


async def _entry(
    sessions: async_sessionmaker[AsyncSession], actor: Actor, action: str, unit_id: uuid.UUID
) -> int:
    async with unit_of_work(sessions) as session:
        return await audit.append(
            session, actor, action, ["username:nowa.osoba", "role:caseworker"], unit_id=unit_id
        )


async def test_an_admins_act_elsewhere_is_told_once_to_every_supervisor(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit = await make_unit(
        sessions, {"kierownik": (Role.SUPERVISOR, True), "zastepca": (Role.SUPERVISOR, True)}
    )
    system = await make_unit(sessions, {"root": (Role.ADMIN, False)})
    admin = Actor(system.users["root"], "root-admin", Role.ADMIN, system.id)
    entry_id = await _entry(sessions, admin, "user.create", unit.id)
    with smtp_server() as (box, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        notices = StaffNoticeActivities(sessions, channel, MAIL)
        notice = StaffNoticeInput(audit_entry_id=entry_id)
        first = await ActivityEnvironment().run(notices.notify_supervisors, notice)
        again = await ActivityEnvironment().run(notices.notify_supervisors, notice)
        await channel.close()
    assert (first.status, again.status) == (SendStatus.SENT, SendStatus.ALREADY_DONE)
    assert sorted(box.envelopes[0]) == sorted(unit.emails.values()) and len(box.messages) == 1
    payload = box.messages[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode("utf-8")
    for named in ("root-admin", system.code, unit.code, "utworzenie konta", "nowa.osoba"):
        assert named in body
    assert "https://pathways.example/api/v1/audit?action=user.create" in body


async def test_no_notice_for_an_act_in_the_actors_own_unit_or_a_missing_entry(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit = await make_unit(sessions, {"kierownik": (Role.SUPERVISOR, True)})
    admin = Actor(uuid.uuid4(), "local-admin", Role.ADMIN, unit.id)
    own = await _entry(sessions, admin, "user.create", unit.id)
    with smtp_server() as (box, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        notices = StaffNoticeActivities(sessions, channel, MAIL)
        result = await ActivityEnvironment().run(
            notices.notify_supervisors, StaffNoticeInput(audit_entry_id=own)
        )
        with pytest.raises(ApplicationError, match="not there"):
            await ActivityEnvironment().run(
                notices.notify_supervisors, StaffNoticeInput(audit_entry_id=2**62)
            )
        await channel.close()
    assert result.status is SendStatus.NOTHING_TO_SEND and box.messages == []
