"""Referrals from the web (issue 16): those the unit received (its head accepts or declines) and
sent, and those to institutions outside the system (supported employment at a labour office),
made from the participant's page, with the institution's answer recorded later. The same
services as the API's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRouter
from pydantic import ValidationError

from domain.errors import DomainError
from domain.referrals import (
    ExternalOutcome,
    ExternalOutcomeRecord,
    ExternalReferralCreate,
    ReferralAccept,
    ReferralDecline,
)
from services import referrals
from services.context import Caller, Services
from web.deps import Casework, ServicesDep, Supervisor
from web.i18n import Translator, language
from web.login import CsrfChecked
from web.render import page
from web.routes.participants import FormState, render_participant

router = APIRouter(include_in_schema=False)

# What the page says was saved: only these (the query string is the visitor's to write).
_SAVED = ("accepted", "declined", "external", "outcome")


@router.get("/web/referrals")
async def referral_lists(
    request: Request, services: ServicesDep, caller: Casework, saved: str = ""
) -> HTMLResponse:
    """Referrals the unit received (accept or decline: its head), sent, and sent outside."""
    listed = await referrals.lists(services, caller)
    shown = saved if saved in _SAVED else ""
    return page(
        request, "referrals.html", caller, referrals=listed, saved=shown, refusal="",
        outcomes=list(ExternalOutcome), typed={},
    )  # fmt: skip


async def _refused(
    request: Request,
    services: Services,
    caller: Caller,
    err: Exception,
    typed: dict[str, dict[str, str]] | None = None,
) -> HTMLResponse:
    t = Translator(language(request))
    refusal = t.error(err) if isinstance(err, DomainError) else t.gettext("Invalid value.")
    listed = await referrals.lists(services, caller)
    return page(
        request, "referrals.html", caller, 409 if isinstance(err, DomainError) else 422,
        referrals=listed, saved="", refusal=refusal, outcomes=list(ExternalOutcome),
        typed=typed or {},
    )  # fmt: skip


@router.post("/web/referrals/{referral_id}/accept", response_model=None)
async def accept_referral(
    referral_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
    start_date: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The head admits: a new episode in the unit."""
    try:
        body = ReferralAccept.model_validate({"start_date": start_date})
        await referrals.accept(services, caller, referral_id, body)
    except (ValidationError, DomainError) as err:
        if isinstance(err, DomainError) and err.kind == "not_found":
            raise
        return await _refused(request, services, caller, err)
    return RedirectResponse("/web/referrals?saved=accepted", 303)


@router.post("/web/referrals/{referral_id}/decline", response_model=None)
async def decline_referral(
    referral_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The head declines with a reason the sender sees."""
    try:
        body = ReferralDecline.model_validate({"reason": reason})
        await referrals.decline(services, caller, referral_id, body)
    except (ValidationError, DomainError) as err:
        if isinstance(err, DomainError) and err.kind == "not_found":
            raise
        return await _refused(request, services, caller, err)
    return RedirectResponse("/web/referrals?saved=declined", 303)


@router.post("/web/participants/{participant_id}/external-referrals", response_model=None)
async def refer_outside(
    participant_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Casework,
    institution: Annotated[str, Form(max_length=200)] = "",
    referred_on: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    consent_transfer: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Refer the participant to supported employment at an institution outside the system; a
    refusal shows the participant's page again with what was typed."""
    typed = {"institution": institution, "referred_on": referred_on, "reason": reason}
    if consent_transfer:
        typed["consent_transfer"] = "on"
    t = Translator(language(request))
    try:
        body = ExternalReferralCreate.model_validate(
            {**typed, "participant_id": participant_id, "consent_transfer": bool(consent_transfer)}
        )
        await referrals.refer_external(services, caller, body)
    except ValidationError as err:
        state = FormState(typed, t.validation(err))
        return await render_participant(
            request, services, caller, participant_id, external_form=state, status=422
        )
    except DomainError as err:
        if err.kind == "not_found":
            raise
        state = FormState(typed, {}, t.error(err))
        return await render_participant(
            request, services, caller, participant_id, external_form=state, status=422
        )
    return RedirectResponse("/web/referrals?saved=external#external", 303)


@router.post("/web/referrals/external/{referral_id}/outcome", response_model=None)
async def record_outside_outcome(
    referral_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Casework,
    outcome: Annotated[str, Form(max_length=20)] = "",
    outcome_on: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The institution's answer, once (the same again changes nothing, another is refused)."""
    typed = {"outcome": outcome, "outcome_on": outcome_on, "note": note}
    try:
        body = ExternalOutcomeRecord.model_validate({**typed, "note": note.strip() or None})
        await referrals.record_external_outcome(services, caller, referral_id, body)
    except (ValidationError, DomainError) as err:
        if isinstance(err, DomainError) and err.kind == "not_found":
            raise
        return await _refused(request, services, caller, err, {str(referral_id): typed})
    return RedirectResponse("/web/referrals?saved=outcome#external", 303)
