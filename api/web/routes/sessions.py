"""A pathway's sessions from the web: schedule and cancel them (the API's own handlers)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import pathway_gateway
from api.audit import Auditor
from api.deps import Caller, Casework, OwnPathway, SessionDep, SessionsDep, TemporalDep
from api.notifications_schemas import AppointmentIn
from api.routes import notifications as api_notifications
from api.web.i18n import Translator, language
from api.web.routes.participants import FormState, render_participant
from api.web.session import CsrfChecked
from db.session import unit_of_work
from domain.calendar import WARSAW
from domain.errors import DomainError

router = APIRouter(include_in_schema=False)

_READ_MODEL_WAIT = 3.0  # seconds; the projection usually takes tens of milliseconds


@router.post("/web/pathways/{pathway_id}/sessions", response_model=None)
async def schedule(
    pathway_id: OwnPathway,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    session: SessionDep,
    sessions: SessionsDep,
    client: TemporalDep,
    day: Annotated[str, Form(max_length=10)] = "",
    at: Annotated[str, Form(max_length=8)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Schedule a session (Warsaw time) through POST /pathways/{id}/sessions' handler."""
    typed = {"day": day, "at": at, "kind": kind, "place": place}
    t = Translator(language(request))
    state: FormState
    try:
        starts_at = _moment(day, at)
        if starts_at is None:
            state = FormState(typed, {"day": t("validation.date")})
        else:
            typed_body = {"starts_at": starts_at, "kind": kind, "place": place}
            body = AppointmentIn.model_validate(typed_body)
            async with unit_of_work(sessions) as step_session:
                scheduled = await api_notifications.schedule_appointment(
                    pathway_id=pathway_id,
                    body=body,
                    caller=caller,
                    client=client,
                    audit=Auditor(step_session, caller),
                    idempotency_key=idempotency_key or None,
                )
            await _until_listed(sessions, caller, pathway_id, scheduled.id, cancelled=False)
            view = await pathway_gateway.look(client, pathway_id, caller.role)
            return RedirectResponse(
                f"/web/participants/{view.participant_id}?saved=session#sessions", 303
            )
    except ValidationError as err:
        state = FormState(typed, t.validation(err))
    except DomainError as err:
        state = FormState(typed, {}, t.error(err))
    view = await pathway_gateway.look(client, pathway_id, caller.role)
    return await render_participant(
        request,
        session,
        caller,
        client,
        uuid.UUID(view.participant_id),
        session_form=state,
        status=422 if state.errors else 409,
    )


async def _until_listed(
    sessions: async_sessionmaker[AsyncSession],
    caller: Caller,
    pathway_id: uuid.UUID,
    session_id: str,
    cancelled: bool,
) -> None:
    """Wait (briefly) until GET /pathways/{id}/sessions lists the change: the list comes from the
    read model, a moment behind the workflow, and the page shown next must not look unchanged."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _READ_MODEL_WAIT
    while loop.time() < deadline:
        async with unit_of_work(sessions) as read:
            listed = await api_notifications.pathway_appointments(
                pathway_id=pathway_id, caller=caller, session=read
            )
        if any(item.id == session_id and item.cancelled == cancelled for item in listed):
            return
        await asyncio.sleep(0.05)


def _moment(day: str, at: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(at), tzinfo=WARSAW)
    except ValueError:
        return None


@router.post("/web/pathways/{pathway_id}/sessions/{session_id}/cancel")
async def cancel(
    pathway_id: OwnPathway,
    session_id: uuid.UUID,
    _: CsrfChecked,
    caller: Casework,
    sessions: SessionsDep,
    client: TemporalDep,
) -> RedirectResponse:
    """Cancel a session through its API handler; its reminders not yet sent are not sent."""
    async with unit_of_work(sessions) as step_session:
        await api_notifications.cancel_appointment(
            pathway_id=pathway_id,
            appointment_id=session_id,
            caller=caller,
            client=client,
            audit=Auditor(step_session, caller),
        )
    await _until_listed(sessions, caller, pathway_id, str(session_id), cancelled=True)
    view = await pathway_gateway.look(client, pathway_id, caller.role)
    return RedirectResponse(
        f"/web/participants/{view.participant_id}?saved=session_cancelled#sessions", 303
    )
