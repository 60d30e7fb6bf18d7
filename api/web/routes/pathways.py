"""A participant's pathway from the web: open it, take a step (the API's own handlers)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api import pathway_gateway
from api.audit import Auditor
from api.deps import (
    Casework,
    KeysDep,
    OwnPathway,
    SessionDep,
    SessionsDep,
    SettingsDep,
    TemporalDep,
)
from api.routes import pathways as api_pathways
from api.schemas import PathwayCreate
from api.web.action_forms import action_body, typed_values
from api.web.i18n import FORM_LEVEL, Translator, language
from api.web.routes.participants import FormState, render_participant
from api.web.session import CsrfChecked
from db.session import unit_of_work
from domain.actions import ACTION_ADAPTER
from domain.errors import DomainError, InvalidInput
from domain.stages import STEPS

router = APIRouter(include_in_schema=False)


@router.post("/web/participants/{participant_id}/pathways", response_model=None)
async def open_pathway(
    participant_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    session: SessionDep,
    sessions: SessionsDep,
    client: TemporalDep,
    settings: SettingsDep,
    keys: KeysDep,
    programme: Annotated[str, Form(max_length=10)] = "",
    start_date: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Open the participant's pathway; a refusal shows the form again with its reason."""
    typed = {"programme": programme, "start_date": start_date}
    t = Translator(language(request))
    try:
        body = PathwayCreate.model_validate(typed)
        await api_pathways.open_pathway(
            participant_id=participant_id,
            body=body,
            caller=caller,
            sessions=sessions,
            client=client,
            settings=settings,
            keys=keys,
            auditor=Auditor(session, caller),
        )
    except ValidationError as err:
        state = FormState(typed, t.validation(err))
    except DomainError as err:
        state = FormState(typed, {}, t.error(err))
    else:
        return RedirectResponse(f"/web/participants/{participant_id}", 303)
    return await render_participant(
        request, session, caller, client, participant_id, open_form=state, status=422
    )


@router.get("/web/pathways/{pathway_id}")
async def pathway_page(
    pathway_id: OwnPathway, caller: Casework, client: TemporalDep
) -> RedirectResponse:
    """A pathway is shown on its participant's page (found by the same Query as GET)."""
    view = await pathway_gateway.look(client, pathway_id, caller.role)
    return RedirectResponse(f"/web/participants/{view.participant_id}#pathway", 303)


@router.post("/web/pathways/{pathway_id}/actions", response_model=None)
async def take_step(
    pathway_id: OwnPathway,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    session: SessionDep,
    sessions: SessionsDep,
    client: TemporalDep,
) -> Response:
    """Take a step through the API's handler; a refusal keeps every typed value beside its reason.

    The form's hidden idempotency key makes a double click record the step once.
    """
    form = await request.form()
    body = action_body(form)
    action_type = str(body["type"])
    if action_type not in STEPS:
        raise InvalidInput("unknown_step", "There is no such step.")
    t = Translator(language(request))
    key = str(form.get("idempotency_key", "")) or None
    try:
        action = ACTION_ADAPTER.validate_python(body)
        async with unit_of_work(sessions) as step_session:
            # Audited as the API's router audits a step: the names of the fields sent.
            await Auditor(step_session, caller).record(
                "pathway.action", sorted(body), pathway_id=pathway_id
            )
            view = await api_pathways.take_action(
                pathway_id=pathway_id,
                action=action,
                session=step_session,
                caller=caller,
                client=client,
                response=Response(),
                idempotency_key=key,
            )
    except ValidationError as err:
        state = FormState(typed_values(form), t.validation(err))
        status = 422
    except DomainError as err:
        state = FormState(typed_values(form), {}, t.error(err))
        status = 409 if err.kind in ("step_not_allowed", "conflict") else 422
    else:
        target = f"/web/participants/{view.participant_id}?saved={action_type}#pathway"
        return RedirectResponse(target, 303)
    # The participant whose page it is: the pathway's own record says (the same Query as GET).
    participant_id = uuid.UUID(
        (await pathway_gateway.look(client, pathway_id, caller.role)).participant_id
    )
    if FORM_LEVEL in state.errors and not state.refusal:
        state.refusal = state.errors.pop(FORM_LEVEL)
    return await render_participant(
        request,
        session,
        caller,
        client,
        participant_id,
        action_form=(action_type, state),
        status=status,
    )
