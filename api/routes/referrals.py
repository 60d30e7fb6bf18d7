"""Referrals between units (issue 16): sent by a KIS, seen, accepted or declined by the CIS;
and to institutions outside the system (supported employment at a labour office)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from api.deps import Casework, ServicesDep, Supervisor
from domain.referrals import (
    ExternalOutcomeRecord,
    ExternalReferralCreate,
    ExternalReferralOut,
    IncomingReferral,
    OutgoingReferral,
    ReferralAccept,
    ReferralCreate,
    ReferralDecline,
    ReferralList,
)
from services import referrals

router = APIRouter(tags=["referrals"])


@router.post("/referrals", status_code=status.HTTP_201_CREATED)
async def refer(body: ReferralCreate, services: ServicesDep, caller: Casework) -> OutgoingReferral:
    """Refer a participant to another unit; their consent to the data's transfer is required
    (`consent_transfer`), the categories go only with `consent_categories`."""
    return await referrals.refer(services, caller, body)


@router.post("/referrals/external", status_code=status.HTTP_201_CREATED)
async def refer_external(
    body: ExternalReferralCreate, services: ServicesDep, caller: Casework
) -> ExternalReferralOut:
    """Refer a participant to supported employment at an institution outside the system (a
    labour office), by name; consent to the data's transfer is required."""
    return await referrals.refer_external(services, caller, body)


@router.post("/referrals/external/{referral_id}/outcome")
async def record_external_outcome(
    referral_id: uuid.UUID, body: ExternalOutcomeRecord, services: ServicesDep, caller: Casework
) -> ExternalReferralOut:
    """The institution's answer, recorded once (the same again changes nothing, another: 409)."""
    return await referrals.record_external_outcome(services, caller, referral_id, body)


@router.get("/referrals")
async def list_referrals(services: ServicesDep, caller: Casework) -> ReferralList:
    """Incoming referrals (name, PESEL, date, reason; categories only with consent) and the
    unit's outgoing ones with their decisions."""
    return await referrals.lists(services, caller)


@router.post("/referrals/{referral_id}/accept")
async def accept(
    referral_id: uuid.UUID, body: ReferralAccept, services: ServicesDep, caller: Supervisor
) -> IncomingReferral:
    """The head admits: a participant record and a new episode in the unit."""
    return await referrals.accept(services, caller, referral_id, body)


@router.post("/referrals/{referral_id}/decline")
async def decline(
    referral_id: uuid.UUID, body: ReferralDecline, services: ServicesDep, caller: Supervisor
) -> IncomingReferral:
    """The head declines with a reason; the sender sees it."""
    return await referrals.decline(services, caller, referral_id, body)
