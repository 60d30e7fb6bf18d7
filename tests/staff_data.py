"""Units, staff with e-mail addresses and pathways with open deadlines, written straight into
the read model for the digest's tests (no workflow needed: the digest reads only the database)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import participants, pathways, units
from db.models import PathwayDeadline
from db.session import unit_of_work
from domain.participants import ParticipantCreate
from domain.roles import Role
from tests.support import PASSWORD_HASH


@dataclass(frozen=True)
class Unit:
    """A unit made for one test, its people by name and their addresses."""

    id: uuid.UUID
    code: str
    users: dict[str, uuid.UUID]
    emails: dict[str, str]


async def make_unit(
    sessions: async_sessionmaker[AsyncSession], people: dict[str, tuple[Role, bool]]
) -> Unit:
    """A unit with staff; `people` maps a name to (role, has an e-mail address)."""
    tag = uuid.uuid4().hex[:8]
    users, emails = {}, {}
    async with unit_of_work(sessions) as session:
        unit = await units.create_unit(session, f"DIG-{tag}", "Jednostka", "cis")
        for name, (role, with_email) in people.items():
            email = f"{name}-{tag}@ops.example.pl" if with_email else None
            user = await units.create_user(
                session, f"{name}-{tag}", PASSWORD_HASH, role, unit, email
            )
            users[name] = user.id
            if email:
                emails[name] = email
    return Unit(unit.id, unit.code, users, emails)


async def make_pathway(
    sessions: async_sessionmaker[AsyncSession],
    unit: Unit,
    caseworker: str,
    deadlines: dict[str, date],
    first_name: str = "Zofia",
) -> tuple[uuid.UUID, str]:
    """A CIS pathway in the read model with these open deadlines; answers it and the full name."""
    last_name = f"Testowa-{uuid.uuid4().hex[:6]}"
    pathway_id = uuid.uuid4()
    async with unit_of_work(sessions) as session:
        person = await participants.create_participant(
            session,
            unit.id,
            unit.users[caseworker],
            ParticipantCreate(
                first_name=first_name, last_name=last_name, birth_date=date(1980, 5, 17)
            ),
            None,
            date(1980, 5, 17),
        )
        await pathways.register_pathway(
            session,
            pathway_id,
            unit.id,
            person.id,
            unit.users[caseworker],
            "cis",
            date(2026, 9, 1),
            "cis_trial",
        )
        session.add_all(
            PathwayDeadline(pathway_id=pathway_id, kind=kind, due_on=due, overdue=False)
            for kind, due in deadlines.items()
        )
    return pathway_id, f"{first_name} {last_name}"
