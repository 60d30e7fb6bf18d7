"""A unit's groups: make one, look at it, people join, leave and move (issue 14)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, groups, participants
from db.group_tables import CertifiedHours, Group, GroupMembership
from db.session import unit_of_work
from db.upsert import upsert
from domain import groups as rules
from domain.centre_views import (
    CertifiedHoursIn,
    GroupIn,
    GroupOut,
    InstructorIn,
    JoinIn,
    LeaveIn,
    MemberOut,
)
from domain.errors import NotFound
from domain.roles import Role
from services import class_reminders
from services.context import Caller, Services


def _as_domain(rows: list[GroupMembership]) -> list[rules.Membership]:
    return [
        rules.Membership(
            group_id=str(m.group_id),
            participant_id=str(m.participant_id),
            joined_on=m.joined_on,
            left_on=m.left_on,
        )
        for m in rows
    ]


async def create_group(services: Services, caller: Caller, body: GroupIn) -> GroupOut:
    """A new group of the caller's unit."""
    async with unit_of_work(services.sessions) as session:
        if body.instructor_id is not None:
            await groups.staff_in_unit(session, caller.unit_id, body.instructor_id)
        group = Group(
            id=uuid.uuid4(),
            unit_id=caller.unit_id,
            name=body.name,
            kind=body.kind,
            instructor_id=body.instructor_id,
        )
        session.add(group)
    return GroupOut(id=group.id, name=group.name, kind=body.kind, instructor_id=group.instructor_id)


async def list_groups(services: Services, caller: Caller) -> list[GroupOut]:
    """The unit's groups, without their members."""
    async with services.sessions() as session:
        teacher = caller.id if caller.role is Role.INSTRUCTOR else None
        found = await groups.groups_of_unit(session, caller.unit_id, teacher)
    return [
        GroupOut(
            id=g.id, name=g.name, kind=rules.ActivityKind(g.kind), instructor_id=g.instructor_id
        )
        for g in found
    ]


async def look(services: Services, caller: Caller, group_id: uuid.UUID) -> GroupOut:
    """A group with its members' stretches and names (audited as a read of the names)."""
    async with unit_of_work(services.sessions) as session:
        group = await groups.group_in_unit(session, caller.unit_id, group_id)
        if caller.role is Role.INSTRUCTOR and group.instructor_id != caller.id:
            raise NotFound("group_not_found", "No such group.")
        return await _view(session, caller, group)


async def _view(session: AsyncSession, caller: Caller, group: Group) -> GroupOut:
    rows = await groups.memberships(session, [group.id])
    names = await groups.names_of(session, [m.participant_id for m in rows])
    await audit.append(session, caller.actor, "group.read", ["members"])
    members = [
        MemberOut(
            participant_id=m.participant_id,
            first_name=names[m.participant_id][0],
            last_name=names[m.participant_id][1],
            joined_on=m.joined_on,
            left_on=m.left_on,
        )
        for m in sorted(rows, key=lambda m: (names[m.participant_id][1], m.joined_on))
    ]
    return GroupOut(
        id=group.id,
        name=group.name,
        kind=rules.ActivityKind(group.kind),
        instructor_id=group.instructor_id,
        members=members,
    )


async def set_instructor(
    services: Services, caller: Caller, group_id: uuid.UUID, body: InstructorIn
) -> GroupOut:
    """Name the member of staff who leads the group (an instructor sees only their groups)."""
    async with unit_of_work(services.sessions) as session:
        group = await groups.group_in_unit(session, caller.unit_id, group_id)
        if body.instructor_id is not None:
            await groups.staff_in_unit(session, caller.unit_id, body.instructor_id)
        group.instructor_id = body.instructor_id
        await session.flush()
        await audit.append(session, caller.actor, "group.instructor", ["instructor_id"])
        return await _view(session, caller, group)


async def join(services: Services, caller: Caller, group_id: uuid.UUID, body: JoinIn) -> GroupOut:
    """A participant of the unit joins the group on a day."""
    async with unit_of_work(services.sessions) as session:
        group = await groups.group_in_unit(session, caller.unit_id, group_id)
        await participants.participant_in_unit(
            session, caller.unit_id, body.participant_id, caller.caseload_of
        )
        held = await groups.memberships(session, participant_id=body.participant_id)
        rules.join(_as_domain(held), str(group_id), str(body.participant_id), body.on)
        session.add(
            GroupMembership(
                group_id=group_id, participant_id=body.participant_id, joined_on=body.on
            )
        )
        await session.flush()
        await audit.append(session, caller.actor, "group.join", ["on"], body.participant_id)
        out = await _view(session, caller, group)
    await class_reminders.after_change(services, caller.unit_id)
    return out


async def leave(
    services: Services,
    caller: Caller,
    group_id: uuid.UUID,
    participant_id: uuid.UUID,
    body: LeaveIn,
) -> GroupOut:
    """A member leaves the group (or moves to `to_group`) from a day on."""
    async with unit_of_work(services.sessions) as session:
        group = await groups.group_in_unit(session, caller.unit_id, group_id)
        held = await groups.memberships(session, participant_id=participant_id)
        mine = _as_domain(held)
        if body.to_group is not None:
            await groups.group_in_unit(session, caller.unit_id, body.to_group)
            rules.move(mine, str(participant_id), str(group_id), str(body.to_group), body.on)
            session.add(
                GroupMembership(
                    group_id=body.to_group, participant_id=participant_id, joined_on=body.on
                )
            )
        else:
            rules.leave(mine, str(group_id), str(participant_id), body.on)
        row = next(m for m in held if m.group_id == group_id and m.left_on is None)
        row.left_on = body.on
        await session.flush()
        await audit.append(session, caller.actor, "group.leave", ["on"], participant_id)
        out = await _view(session, caller, group)
    await class_reminders.after_change(services, caller.unit_id)
    return out


async def set_certified_hours(
    services: Services, caller: Caller, participant_id: uuid.UUID, body: CertifiedHoursIn
) -> CertifiedHoursIn:
    """Record a disabled participant's lower weekly figure from the certificate."""
    async with unit_of_work(services.sessions) as session:
        await participants.participant_in_unit(
            session, caller.unit_id, participant_id, caller.caseload_of
        )
        row = {"participant_id": participant_id, "weekly_hours": body.weekly_hours}
        await session.execute(
            upsert(session, CertifiedHours, row, ["participant_id"], ["weekly_hours"])
        )
        await audit.append(
            session, caller.actor, "participant.hours", ["weekly_hours"], participant_id
        )
    return body
