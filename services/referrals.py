"""Referrals between units: a KIS refers a participant to another unit's CIS; the receiving
unit's head accepts (a participant record and a new episode in that unit) or declines with a
reason. Each unit sees only its own part: the sender's record and pathway stay the sender's."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime

import structlog
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from db import audit, participants, referrals, units
from db.caseload_models import ExternalReferral, Referral
from db.session import unit_of_work
from domain.calendar import local_date
from domain.caseload import ReferralDecision
from domain.errors import Conflict, DomainError, InvalidInput, NotFound
from domain.participants import ParticipantCreate
from domain.referrals import (
    SUPPORTED_EMPLOYMENT,
    ExternalOutcome,
    ExternalOutcomeRecord,
    ExternalReferralCreate,
    ExternalReferralOut,
    IncomingReferral,
    OutgoingReferral,
    ReferralAccept,
    ReferralCreate,
    ReferralDecline,
    ReferralList,
    ReferralNoticeInput,
    ReferralStatus,
    referral_notice_id,
)
from domain.stages import Programme
from services import participants as participant_service
from services import pathway_calls, pathways
from services.context import Caller, Services
from services.errors import ServiceUnavailable
from services.temporal_calls import CALL_TIMEOUT, call
from workflows.staff_notice import ReferralDeclinedWorkflow

log = structlog.get_logger(__name__)


def _require_consent(consent_transfer: bool) -> None:
    if not consent_transfer:
        raise InvalidInput(
            "consent_required", "The participant's consent to the transfer of data is required."
        )


async def refer(services: Services, caller: Caller, body: ReferralCreate) -> OutgoingReferral:
    """Refer a participant of the caller's unit (and caseload) to another unit."""
    _require_consent(body.consent_transfer)
    async with unit_of_work(services.sessions) as session:
        await participants.participant_in_unit(
            session, caller.unit_id, body.participant_id, caller.caseload_of
        )
        target = await units.unit_by_code(session, body.to_unit)
        if target is None or target.id == caller.unit_id:
            raise InvalidInput("unknown_unit", "Refer to another unit of the system.")
        row = await referrals.create(session, caller.unit_id, target.id, body, caller.id)
        fields = [
            "reason",
            "consent_transfer",
            *(["categories"] if body.consent_categories else []),
        ]
        await audit.append(session, caller.actor, "referral.create", fields, body.participant_id)
        return _outgoing(row, target.code)


async def lists(services: Services, caller: Caller) -> ReferralList:
    """The referrals the caller's unit received and sent."""
    async with unit_of_work(services.sessions) as session:
        incoming = []
        for row, first, last, pesel, sender in await referrals.incoming(session, caller.unit_id):
            categories = (
                await participants.categories_of(session, row.participant_id)
                if row.consent_categories
                else None
            )
            incoming.append(
                IncomingReferral(
                    id=row.id,
                    first_name=first,
                    last_name=last,
                    pesel=pesel,
                    referred_on=row.referred_on,
                    reason=row.reason,
                    programme=Programme(row.programme),
                    from_unit=sender,
                    status=ReferralStatus(row.status),
                    categories=categories,
                    decline_reason=row.decline_reason,
                    participant_id=row.new_participant_id,
                    pathway_id=row.new_pathway_id,
                )
            )
        outgoing = [
            _outgoing(row, code) for row, code in await referrals.outgoing(session, caller.unit_id)
        ]
        external = [
            _external(row) for row in await referrals.external_of_unit(session, caller.unit_id)
        ]
        if incoming:
            await audit.append(session, caller.actor, "referral.read", ["name", "pesel", "reason"])
    return ReferralList(incoming=incoming, outgoing=outgoing, external=external)


async def accept(
    services: Services, caller: Caller, referral_id: uuid.UUID, body: ReferralAccept
) -> IncomingReferral:
    """The head admits: the participant is registered in the unit (name, PESEL; categories
    with consent; no contact data) and a new episode starts there. Accepting again finishes
    what a failed first attempt left (the pathway's start) and records nothing twice."""
    async with unit_of_work(services.sessions) as session:
        row = await referrals.incoming_for_update(session, caller.unit_id, referral_id)
        if row.status == ReferralStatus.DECLINED:
            raise Conflict("referral_decided", "The referral was declined.")
        if row.new_participant_id is None:
            person = await referrals.participant_of(session, row)
            categories = (
                await participants.categories_of(session, person.id)
                if row.consent_categories
                else []
            )
            data = ParticipantCreate.model_validate(
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "pesel": person.pesel,
                    "birth_date": None if person.pesel else person.birth_date,
                    "categories": categories,
                }
            )
            made = await participant_service.register_in(session, services.keys, caller.actor, data)
            row.new_participant_id = made.id
            row.status = ReferralStatus.ACCEPTED
            row.decided_by, row.decided_at = caller.id, datetime.now(UTC)
            await audit.append(session, caller.actor, "referral.accept", ["status"], made.id)
        new_participant, pathway_id = row.new_participant_id, row.new_pathway_id
    if pathway_id is None:
        opened = await pathways.open_pathway(
            services, caller, new_participant, Programme(row.programme), body.start_date
        )
        async with unit_of_work(services.sessions) as session:
            row = await referrals.incoming_for_update(session, caller.unit_id, referral_id)
            row.new_pathway_id = uuid.UUID(str(opened.id))
    await tell_decision(services, referral_id)
    return await _one(services, caller, referral_id)


async def decline(
    services: Services, caller: Caller, referral_id: uuid.UUID, body: ReferralDecline
) -> IncomingReferral:
    """The head declines with a reason: the sender sees it; the participant stays there."""
    async with unit_of_work(services.sessions) as session:
        row = await referrals.incoming_for_update(session, caller.unit_id, referral_id)
        if row.status != ReferralStatus.PENDING:
            if row.status == ReferralStatus.DECLINED and row.decline_reason == body.reason:
                pass  # the same decision again: nothing new (the sender is told again)
            else:
                raise Conflict("referral_decided", "The referral was decided already.")
        else:
            row.status = ReferralStatus.DECLINED
            row.decline_reason = body.reason
            row.decided_by, row.decided_at = caller.id, datetime.now(UTC)
            await audit.append(session, caller.actor, "referral.decline", ["status", "reason"])
    await tell_decision(services, referral_id)
    return await _one(services, caller, referral_id)


async def refer_external(
    services: Services, caller: Caller, body: ExternalReferralCreate
) -> ExternalReferralOut:
    """Refer a participant of the caller's unit (and caseload) to supported employment at an
    institution outside the system (a labour office), by name; its outcome is recorded later."""
    _require_consent(body.consent_transfer)
    async with unit_of_work(services.sessions) as session:
        await participants.participant_in_unit(
            session, caller.unit_id, body.participant_id, caller.caseload_of
        )
        row = await referrals.create_external(
            session, caller.unit_id, body, SUPPORTED_EMPLOYMENT, caller.id
        )
        await audit.append(
            session,
            caller.actor,
            "referral.external",
            ["institution", "reason", "consent_transfer"],
            body.participant_id,
        )
        return _external(row)


async def record_external_outcome(
    services: Services, caller: Caller, referral_id: uuid.UUID, body: ExternalOutcomeRecord
) -> ExternalReferralOut:
    """The institution's answer, once: the same answer again changes nothing, another is 409."""
    async with unit_of_work(services.sessions) as session:
        row = await referrals.external_for_update(session, caller.unit_id, referral_id)
        await participants.participant_in_unit(
            session, caller.unit_id, row.participant_id, caller.caseload_of
        )
        if row.outcome is None:
            row.outcome, row.outcome_on, row.outcome_note = body.outcome, body.outcome_on, body.note
            row.outcome_by = caller.id
            await audit.append(
                session, caller.actor, "referral.external_outcome", ["outcome"], row.participant_id
            )
        elif (row.outcome, row.outcome_on) != (body.outcome, body.outcome_on):
            raise Conflict("referral_decided", "The referral's outcome was recorded already.")
        return _external(row)


def _external(row: ExternalReferral) -> ExternalReferralOut:
    return ExternalReferralOut(
        id=row.id,
        participant_id=row.participant_id,
        institution=row.institution,
        programme=row.programme,
        referred_on=row.referred_on,
        reason=row.reason,
        outcome=ExternalOutcome(row.outcome) if row.outcome else None,
        outcome_on=row.outcome_on,
        note=row.outcome_note,
    )


async def tell_decision(services: Services, referral_id: uuid.UUID) -> bool:
    """Tell the sender a decision: its pathway's timeline (once per referral; a pathway closed
    since has nothing to be told) and, on a decline, its supervisors and the referring
    caseworker by e-mail (once). Marked told when both are done; True then. Safe to repeat:
    a retry of the decision and the morning run (`tell_untold`) call it again."""
    async with services.sessions() as session:
        row, code, actor = await referrals.decided(session, referral_id)
    if row.decided_at is None:
        return False
    try:
        if row.from_pathway_id is not None:
            decision = ReferralDecision(
                key=f"referral:{row.id}",
                accepted=row.status == ReferralStatus.ACCEPTED,
                to_unit=code,
                reason=row.decline_reason,
                actor=actor,
                occurred_on=local_date(row.decided_at),
            )
            with contextlib.suppress(DomainError):  # closed since
                await pathway_calls.tell_referral_decision(
                    services.temporal, row.from_pathway_id, decision
                )
        if row.status == ReferralStatus.DECLINED:
            await _notice_declined(services, row.id)
    except ServiceUnavailable:
        log.warning("referral_decision_untold", referral_id=str(row.id))
        return False
    async with unit_of_work(services.sessions) as session:
        await referrals.mark_told(session, row.id)
    return True


async def tell_untold(services: Services) -> int:
    """Tell every decision whose sender was not told (the API died, Temporal was away); how
    many are still untold after. The morning run calls it."""
    async with services.sessions() as session:
        pending = await referrals.untold_decisions(session)
    return sum([not await tell_decision(services, referral_id) for referral_id in pending])


async def _notice_declined(services: Services, referral_id: uuid.UUID) -> None:
    """Start the decline's e-mail to the sender's staff (a start already made is enough)."""
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await call(
            services.temporal.start_workflow(
                ReferralDeclinedWorkflow.run,
                ReferralNoticeInput(referral_id=str(referral_id)),
                id=referral_notice_id(referral_id),
                task_queue=services.settings.temporal_task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                rpc_timeout=CALL_TIMEOUT,
            ),
            NotFound("notice_not_started", "The notice could not be started."),
        )


async def _one(services: Services, caller: Caller, referral_id: uuid.UUID) -> IncomingReferral:
    listed = await lists(services, caller)
    return next(r for r in listed.incoming if r.id == referral_id)


def _outgoing(row: Referral, to_unit: str) -> OutgoingReferral:
    return OutgoingReferral(
        id=row.id,
        participant_id=row.participant_id,
        to_unit=to_unit,
        programme=Programme(row.programme),
        referred_on=row.referred_on,
        status=ReferralStatus(row.status),
        decline_reason=row.decline_reason,
    )
