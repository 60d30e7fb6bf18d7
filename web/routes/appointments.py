"""A pathway's appointments from the web: set and cancel them (the API's own services).

The page shown next merges the workflow's own state over the read model's, so it shows the
change at once: nothing polls the read model.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from domain.appointments import AppointmentIn
from domain.calendar import WARSAW
from domain.errors import DomainError
from services import pathways, reminders
from web.deps import Casework, OwnPathway, ServicesDep
from web.i18n import Translator, language
from web.login import CsrfChecked
from web.routes.participants import FormState, render_participant

router = APIRouter(include_in_schema=False)


@router.post("/web/pathways/{pathway_id}/appointments", response_model=None)
async def set_appointment(
    pathway_id: OwnPathway,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    services: ServicesDep,
    day: Annotated[str, Form(max_length=10)] = "",
    at: Annotated[str, Form(max_length=8)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Set an appointment (Warsaw time) through the same service as the API."""
    typed = {"day": day, "at": at, "kind": kind, "place": place}
    t = Translator(language(request))
    owner = await pathways.owner_of(services, pathway_id)
    state: FormState
    try:
        starts_at = _moment(day, at)
        if starts_at is None:
            state = FormState(typed, {"day": t.gettext("Enter a date as YYYY-MM-DD.")})
        else:
            fields = {"starts_at": starts_at, "kind": kind, "place": place}
            body = AppointmentIn.model_validate(fields)
            key = idempotency_key or None
            await reminders.set_appointment(services, caller, pathway_id, body, key)
            target = f"/web/participants/{owner.participant_id}?saved=appointment#appointments"
            return RedirectResponse(target, 303)
    except ValidationError as err:
        state = FormState(typed, t.validation(err))
    except DomainError as err:
        state = FormState(typed, {}, t.error(err))
    return await render_participant(
        request,
        services,
        caller,
        owner.participant_id,
        appointment_form=state,
        status=422 if state.errors else 409,
    )


def _moment(day: str, at: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(at), tzinfo=WARSAW)
    except ValueError:
        return None


@router.post("/web/pathways/{pathway_id}/appointments/{appointment_id}/cancel")
async def cancel_appointment(
    pathway_id: OwnPathway,
    appointment_id: uuid.UUID,
    _: CsrfChecked,
    caller: Casework,
    services: ServicesDep,
) -> RedirectResponse:
    """Cancel an appointment; its reminders not yet sent are not sent."""
    await reminders.cancel_appointment(services, caller, pathway_id, appointment_id)
    owner = await pathways.owner_of(services, pathway_id)
    target = f"/web/participants/{owner.participant_id}?saved=appointment_cancelled#appointments"
    return RedirectResponse(target, 303)
