"""A participant's pathway from the web: open it, take a step (the API's own services)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from domain.actions import ACTION_ADAPTER
from domain.errors import DomainError, InvalidInput
from domain.participants import PathwayCreate
from domain.stages import STEPS
from services import documents, pathways
from web.action_forms import action_body, typed_values
from web.deps import Casework, OwnPathway, ServicesDep
from web.i18n import FORM_LEVEL, Translator, language
from web.login import CsrfChecked
from web.routes.participants import FormState, render_participant

router = APIRouter(include_in_schema=False)


@router.post("/web/participants/{participant_id}/pathways", response_model=None)
async def open_pathway(
    participant_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    services: ServicesDep,
    programme: Annotated[str, Form(max_length=10)] = "",
    start_date: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Open the participant's pathway; a refusal shows the form again with its reason."""
    typed = {"programme": programme, "start_date": start_date}
    t = Translator(language(request))
    try:
        body = PathwayCreate.model_validate(typed)
        await pathways.open_pathway(
            services, caller, participant_id, body.programme, body.start_date
        )
    except ValidationError as err:
        state = FormState(typed, t.validation(err))
    except DomainError as err:
        state = FormState(typed, {}, t.error(err))
    else:
        return RedirectResponse(f"/web/participants/{participant_id}", 303)
    return await render_participant(
        request, services, caller, participant_id, open_form=state, status=422
    )


@router.get("/web/pathways/{pathway_id}")
async def pathway_page(pathway_id: OwnPathway, services: ServicesDep) -> RedirectResponse:
    """A pathway is shown on its participant's page."""
    owner = await pathways.owner_of(services, pathway_id)
    return RedirectResponse(f"/web/participants/{owner.participant_id}#pathway", 303)


@router.post("/web/pathways/{pathway_id}/actions", response_model=None)
async def take_step(
    pathway_id: OwnPathway,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    services: ServicesDep,
) -> Response:
    """Take a step through the API's own service; a refusal keeps every typed value beside its
    reason. The form's hidden idempotency key makes a double click record the step once."""
    form = await request.form()
    body = action_body(form)
    action_type = str(body["type"])
    if action_type not in STEPS:
        raise InvalidInput("unknown_step", "There is no such step.")
    t = Translator(language(request))
    key = str(form.get("idempotency_key", "")) or None
    try:
        action = ACTION_ADAPTER.validate_python(body)
        answer, _replayed = await pathways.take_step(services, caller, pathway_id, action, key)
    except ValidationError as err:
        state = FormState(typed_values(form), t.validation(err))
        status = 422
    except DomainError as err:
        state = FormState(typed_values(form), {}, t.error(err))
        status = 409 if err.kind in ("step_not_allowed", "conflict") else 422
    else:
        target = f"/web/participants/{answer.participant_id}?saved={action_type}#pathway"
        return RedirectResponse(target, 303)
    if FORM_LEVEL in state.errors and not state.refusal:
        state.refusal = state.errors.pop(FORM_LEVEL)
    owner = await pathways.owner_of(services, pathway_id)
    return await render_participant(
        request,
        services,
        caller,
        owner.participant_id,
        action_form=(action_type, state),
        status=status,
    )


@router.get("/web/pathways/{pathway_id}/documents/{seq}", response_model=None)
async def pathway_document(
    pathway_id: OwnPathway, seq: int, caller: Casework, services: ServicesDep
) -> Response:
    """The document a step made, as PDF (the API's service: audited, 404 for other steps)."""
    name, pdf = await documents.pathway_document(services, caller, pathway_id, seq)
    return Response(
        pdf,
        media_type=documents.PDF_MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
