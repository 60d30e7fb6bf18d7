"""Referrals between units: recorded, listed for each side, decided once. Every function takes
a session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.caseload_models import ExternalReferral, Referral
from db.models import Participant, Pathway, Unit, User, utcnow
from db.staff_messages import supervisor_addresses
from domain.calendar import local_date
from domain.errors import NotFound
from domain.referrals import ExternalReferralCreate, ReferralCreate, ReferralStatus

_Row = TypeVar("_Row", Referral, ExternalReferral)


async def create(
    session: AsyncSession,
    from_unit_id: uuid.UUID,
    to_unit_id: uuid.UUID,
    body: ReferralCreate,
    created_by: uuid.UUID,
) -> Referral:
    """Record a referral (pending), with the time the participant's consent was recorded; the
    same referral still pending (a retry) is answered as it is."""
    pending = await session.scalar(
        select(Referral).where(
            Referral.participant_id == body.participant_id,
            Referral.to_unit_id == to_unit_id,
            Referral.programme == body.programme,
            Referral.status == ReferralStatus.PENDING,
        )
    )
    if pending is not None:
        return pending
    open_pathway = await session.scalar(
        select(Pathway.id).where(
            Pathway.participant_id == body.participant_id, Pathway.closed_at.is_(None)
        )
    )
    row = Referral(
        from_unit_id=from_unit_id,
        from_pathway_id=open_pathway,
        to_unit_id=to_unit_id,
        participant_id=body.participant_id,
        programme=body.programme,
        referred_on=body.referred_on,
        reason=body.reason,
        consent_transfer_at=utcnow(),
        consent_categories=body.consent_categories,
        status=ReferralStatus.PENDING,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def incoming_for_update(
    session: AsyncSession, to_unit_id: uuid.UUID, referral_id: uuid.UUID
) -> Referral:
    """A referral to the unit, locked for its decision; 404 for any other."""
    return await _locked(
        session,
        select(Referral).where(Referral.id == referral_id, Referral.to_unit_id == to_unit_id),
    )


async def _locked(session: AsyncSession, query: Select[_Row]) -> _Row:
    """The one referral the query names, locked until the transaction ends; 404 without it."""
    row = (await session.execute(query.with_for_update())).scalar_one_or_none()
    if row is None:
        raise NotFound("referral_not_found", "No such referral.")
    return row


async def incoming(session: AsyncSession, to_unit_id: uuid.UUID) -> list[Any]:
    """Referrals to the unit with what it may see of the person, newest first."""
    sender = aliased(Unit)
    query = (
        select(
            Referral, Participant.first_name, Participant.last_name, Participant.pesel, sender.name
        )
        .join(Participant, Participant.id == Referral.participant_id)
        .join(sender, sender.id == Referral.from_unit_id)
        .where(Referral.to_unit_id == to_unit_id)
        .order_by(Referral.created_at.desc(), Referral.id)
    )
    return list((await session.execute(query)).all())


async def outgoing(session: AsyncSession, from_unit_id: uuid.UUID) -> list[Any]:
    """Referrals the unit sent, with the receiving unit's code, newest first."""
    receiver = aliased(Unit)
    query = (
        select(Referral, receiver.code)
        .join(receiver, receiver.id == Referral.to_unit_id)
        .where(Referral.from_unit_id == from_unit_id)
        .order_by(Referral.created_at.desc(), Referral.id)
    )
    return list((await session.execute(query)).all())


async def participant_of(session: AsyncSession, referral: Referral) -> Participant:
    """The referred participant's record in the sending unit (read for the receiving one)."""
    person = await session.get(Participant, referral.participant_id)
    assert person is not None  # a foreign key
    return person


async def decided(session: AsyncSession, referral_id: uuid.UUID) -> tuple[Referral, str, str]:
    """A decided referral, the receiving unit's code and the username of whoever decided."""
    receiver = aliased(Unit)
    query = (
        select(Referral, receiver.code, User.username)
        .join(receiver, receiver.id == Referral.to_unit_id)
        .join(User, User.id == Referral.decided_by)
        .where(Referral.id == referral_id)
    )
    row, code, username = (await session.execute(query)).one()
    return row, code, username


async def untold_decisions(session: AsyncSession) -> list[uuid.UUID]:
    """Decided referrals whose sender has not been told (the morning run tells them)."""
    query = (
        select(Referral.id)
        .where(Referral.decided_at.is_not(None), Referral.told_at.is_(None))
        .order_by(Referral.decided_at)
    )
    return list((await session.execute(query)).scalars())


async def mark_told(session: AsyncSession, referral_id: uuid.UUID) -> None:
    """The sender has been told of the decision."""
    await session.execute(
        update(Referral)
        .where(Referral.id == referral_id, Referral.told_at.is_(None))
        .values(told_at=utcnow())
    )


@dataclass(frozen=True)
class DeclineNotice:
    """What the sending unit's staff are told of a declined referral: no name, no categories."""

    from_unit_id: uuid.UUID
    to_unit: str
    referred_on: date
    decided_on: date
    addresses: list[str]


async def decline_notice(session: AsyncSession, referral_id: uuid.UUID) -> DeclineNotice | None:
    """A declined referral as its sender's supervisors and referring caseworker are told of it
    (None: not declined); their addresses, the referring caseworker's first."""
    receiver = aliased(Unit)
    query = (
        select(Referral, receiver.code)
        .join(receiver, receiver.id == Referral.to_unit_id)
        .where(Referral.id == referral_id)
    )
    found = (await session.execute(query)).one_or_none()
    if found is None:
        return None
    row, code = found
    if row.status != "declined" or row.decided_at is None:
        return None
    referring = await session.scalar(
        select(User.email).where(
            User.id == row.created_by, User.active.is_(True), User.email.is_not(None)
        )
    )
    addresses = [*([referring] if referring else [])]
    for email in await supervisor_addresses(session, row.from_unit_id):
        if email not in addresses:
            addresses.append(email)
    return DeclineNotice(
        from_unit_id=row.from_unit_id,
        to_unit=code,
        referred_on=row.referred_on,
        decided_on=local_date(row.decided_at),
        addresses=addresses,
    )


async def create_external(
    session: AsyncSession,
    unit_id: uuid.UUID,
    body: ExternalReferralCreate,
    programme: str,
    created_by: uuid.UUID,
) -> ExternalReferral:
    """Record a referral outside the system, with the time the consent was recorded; the same
    one still without an outcome (a retry) is answered as it is."""
    pending = await session.scalar(
        select(ExternalReferral).where(
            ExternalReferral.unit_id == unit_id,
            ExternalReferral.participant_id == body.participant_id,
            ExternalReferral.institution == body.institution,
            ExternalReferral.referred_on == body.referred_on,
            ExternalReferral.outcome.is_(None),
        )
    )
    if pending is not None:
        return pending
    row = ExternalReferral(
        unit_id=unit_id,
        participant_id=body.participant_id,
        institution=body.institution,
        programme=programme,
        referred_on=body.referred_on,
        reason=body.reason,
        consent_transfer_at=utcnow(),
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def external_for_update(
    session: AsyncSession, unit_id: uuid.UUID, referral_id: uuid.UUID
) -> ExternalReferral:
    """The unit's referral outside the system, locked for its outcome; 404 for any other."""
    return await _locked(
        session,
        select(ExternalReferral).where(
            ExternalReferral.id == referral_id, ExternalReferral.unit_id == unit_id
        ),
    )


async def external_of_unit(session: AsyncSession, unit_id: uuid.UUID) -> list[ExternalReferral]:
    """The unit's referrals outside the system, newest first."""
    query = (
        select(ExternalReferral)
        .where(ExternalReferral.unit_id == unit_id)
        .order_by(ExternalReferral.created_at.desc(), ExternalReferral.id)
    )
    return list((await session.execute(query)).scalars())
