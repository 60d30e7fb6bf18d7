"""Erasure removes a referral's reasons (free text about the person), on both units' sides, and
those of a referral outside the system."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import referrals, subjects
from db.caseload_models import ExternalReferral, Referral
from db.models import Participant
from db.session import unit_of_work
from domain.referrals import (
    SUPPORTED_EMPLOYMENT,
    ExternalReferralCreate,
    ReferralCreate,
    ReferralStatus,
)
from tests.db.report_seed import new_unit


async def test_erasure_clears_the_reasons_of_a_referral(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with unit_of_work(sessions) as session:
        kis = await new_unit(session, "kis")
        cis = await new_unit(session, "cis")
        person = kis.person()
        await kis.write(session)
        body = ReferralCreate(
            participant_id=person,
            to_unit=cis.code,
            referred_on=date(2026, 3, 2),
            reason="uzależnienie, po terapii",
            consent_transfer=True,
        )
        row = await referrals.create(session, kis.unit_id, cis.unit_id, body, kis.caseworker_id)
        row.status, row.decline_reason = ReferralStatus.DECLINED, "zbyt wcześnie po terapii"
        referral_id = row.id
        external = await referrals.create_external(
            session,
            kis.unit_id,
            ExternalReferralCreate(
                participant_id=person,
                institution="Powiatowy Urząd Pracy",
                referred_on=date(2026, 3, 2),
                reason="po terapii uzależnień",
                consent_transfer=True,
            ),
            SUPPORTED_EMPLOYMENT,
            kis.caseworker_id,
        )
        external.outcome, external.outcome_note = "declined", "nawrót choroby"
        external_id = external.id
    async with unit_of_work(sessions) as session:
        participant = await session.get_one(Participant, person)
        await subjects.erase(session, participant, [], kis.caseworker_id)
    async with sessions() as session:
        erased = await session.get_one(Referral, referral_id)
        assert erased.reason == subjects.ERASED_NAME and erased.decline_reason is None
        outside = await session.get_one(ExternalReferral, external_id)
        assert outside.reason == subjects.ERASED_NAME and outside.outcome_note is None
