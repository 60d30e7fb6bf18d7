"""Participants: the list with search and filters, registration, and one participant's page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from domain.appointments import AppointmentKind, AppointmentOut
from domain.calendar import local_date
from domain.eligibility import Exclusion, ExclusionsUpdate
from domain.errors import DomainError
from domain.notifications import NotificationList
from domain.participants import Category, ParticipantCreate, ParticipantFilters, ParticipantSort
from domain.pesel import parse_pesel
from domain.stages import STEPS, Programme, Stage
from domain.views import PathwayView
from services import participants, pathways, reminders
from services.context import Caller, Services
from services.reminders import held_appointment
from web.action_forms import inputs_of
from web.deps import Casework, ServicesDep
from web.i18n import FORM_LEVEL, Translator, language
from web.login import CsrfChecked
from web.render import is_htmx, page

router = APIRouter(include_in_schema=False)

_TEXT_FIELDS = ("first_name", "last_name", "pesel", "birth_date", "phone", "email")


@dataclass
class FormState:
    """A form shown again: what was typed, what is wrong with each field, the domain's reason."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    refusal: str = ""


_E = TypeVar("_E", Stage, Programme)


def _choice(kind: type[_E], raw: str) -> _E | None:
    try:
        return kind(raw) if raw else None
    except ValueError:
        return None


def _sort(raw: str) -> ParticipantSort:
    try:
        return ParticipantSort(raw)
    except ValueError:
        return ParticipantSort.NAME


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@router.get("/web/participants")
async def participant_list(
    request: Request,
    services: ServicesDep,
    caller: Casework,
    q: Annotated[str, Query(max_length=100)] = "",
    stage: str = "",
    programme: str = "",
    caseworker: str = "",
    due_before: str = "",
    overdue: str = "",
    sort: str = "",
    cursor: str | None = None,
) -> HTMLResponse:
    """Search and filter the unit's participants (the same service as GET /participants)."""
    filters_in = ParticipantFilters(
        stage=_choice(Stage, stage),
        programme=_choice(Programme, programme),
        caseworker=caseworker.strip() or None,
        due_before=_day(due_before),
        q=q.strip()[:100] or None,
        overdue=bool(overdue),
    )
    found = await participants.list_page(
        services, caller, filters_in, cursor or None, 50, _sort(sort)
    )
    filters = {
        "q": q,
        "stage": stage,
        "programme": programme,
        "caseworker": caseworker,
        "due_before": due_before,
        "overdue": "on" if overdue else "",
        "sort": _sort(sort).value,
    }
    fragment = is_htmx(request)
    template = "participants_results.html" if fragment else "participants.html"
    return page(
        request,
        template,
        caller,
        fragment=fragment,
        found=found,
        filters=filters,
        stages=list(Stage),
        programmes=list(Programme),
        sorts=list(ParticipantSort),
    )


@router.get("/web/participants/new")
async def registration_form(request: Request, caller: Casework) -> HTMLResponse:
    """The empty registration form."""
    return _registration(request, caller, FormState())


def _registration(
    request: Request, caller: Caller, state: FormState, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "participant_new.html",
        caller,
        status,
        form=state,
        categories=list(Category),
        exclusions=list(Exclusion),
        form_level=FORM_LEVEL,
    )


@router.post("/web/participants/pesel")
async def pesel_feedback(
    request: Request,
    _: CsrfChecked,
    __: Casework,
    pesel: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    """What a PESEL typed so far says: digits missing, a birth date, or why it is not valid."""
    t = Translator(language(request))
    number = pesel.strip()
    valid, message = False, ""
    if number.isascii() and number.isdigit() and len(number) < 11:
        message = t.gettext("%(n)s of 11 digits typed.", n=len(number))
    elif number:
        try:
            valid, message = (
                True,
                t.gettext(
                    "Valid PESEL — born %(date)s.", date=t.date(parse_pesel(number).birth_date)
                ),
            )
        except DomainError as err:
            message = t.error(err)
    return page(request, "pesel_feedback.html", None, valid=valid, message=message, typed=number)


@router.post("/web/participants", response_model=None)
async def register(
    request: Request, _: CsrfChecked, caller: Casework, services: ServicesDep
) -> Response:
    """Register through the same service as the API; anything refused comes back with what was
    typed."""
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in _TEXT_FIELDS}
    chosen = [str(c) for c in form.getlist("categories")]
    excluded = [str(e) for e in form.getlist("exclusions")]
    consents = {name: name in form for name in ("consent_sms", "consent_email")}
    shown = {**values, **{k: "on" for k, v in consents.items() if v}}
    t = Translator(language(request))
    try:
        body = ParticipantCreate.model_validate(
            {
                **{k: v.strip() or None for k, v in values.items()},
                **consents,
                "categories": chosen,
                "exclusions": excluded,
            }
        )
    except ValidationError as err:
        state = FormState(shown, t.validation(err))
        return _registration(request, caller, _with_categories(state, chosen, excluded), 422)
    try:
        person = await participants.register(services, caller, body)
    except DomainError as err:
        where = "pesel" if err.code in ("invalid_pesel", "birth_date_mismatch") else FORM_LEVEL
        state = FormState(shown, {where: t.error(err)})
        status = 409 if err.code == "duplicate_participant" else 422
        return _registration(request, caller, _with_categories(state, chosen, excluded), status)
    return RedirectResponse(f"/web/participants/{person.id}", 303)


def _upcoming(at: datetime) -> bool:
    """Whether a moment is still ahead."""
    return at > datetime.now(UTC)


def _with_categories(state: FormState, chosen: list[str], excluded: list[str]) -> FormState:
    state.values.update({f"category:{c}": "on" for c in chosen})
    state.values.update({f"exclusion:{e}": "on" for e in excluded})
    return state


@router.post("/web/participants/{participant_id}/exclusions", response_model=None)
async def record_exclusions(
    participant_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    caller: Casework,
    services: ServicesDep,
) -> Response:
    """Record the person's rights outside the act anew, through the API's own service."""
    form = await request.form()
    typed = {"occurred_on": str(form.get("occurred_on", ""))}
    t = Translator(language(request))
    try:
        body = ExclusionsUpdate.model_validate(
            {
                "exclusions": [str(e) for e in form.getlist("exclusions")],
                "occurred_on": typed["occurred_on"].strip() or None,
            }
        )
        await participants.record_exclusions(services, caller, participant_id, body)
    except ValidationError as err:
        state = FormState(typed, t.validation(err))
        return await render_participant(
            request, services, caller, participant_id, exclusions_form=state, status=422
        )
    except DomainError as err:
        if err.kind == "not_found":
            raise
        state = FormState(typed, {}, t.error(err))
        return await render_participant(
            request, services, caller, participant_id, exclusions_form=state, status=422
        )
    return RedirectResponse(f"/web/participants/{participant_id}?saved=exclusions#exclusions", 303)


@router.get("/web/participants/{participant_id}")
async def participant_page(
    participant_id: uuid.UUID,
    request: Request,
    services: ServicesDep,
    caller: Casework,
    saved: str = "",
) -> HTMLResponse:
    """The participant with their pathway: stage, deadlines, the steps allowed now, timeline."""
    return await render_participant(request, services, caller, participant_id, saved=saved)


async def render_participant(
    request: Request,
    services: Services,
    caller: Caller,
    participant_id: uuid.UUID,
    *,
    saved: str = "",
    action_form: tuple[str, FormState] | None = None,
    open_form: FormState | None = None,
    appointment_form: FormState | None = None,
    exclusions_form: FormState | None = None,
    external_form: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The participant's page, with one form shown again after a refusal if there was one."""
    person = await participants.detail(services, caller, participant_id)
    view: PathwayView | None = None
    unreadable = ""
    if person.pathway is not None and not person.pathway.closed:
        try:
            view = await pathways.look(services, caller, person.pathway.id)
        except DomainError as err:
            unreadable = Translator(language(request)).error(err)
    planned: list[AppointmentOut] = []
    messages: NotificationList | None = None
    if view is not None:
        planned = await _appointments(services, caller, view)
        messages = await reminders.messages_of(services, caller, participant_id)
    failed_action, failed_state = action_form if action_form else ("", FormState())
    # Only what this app names: the query string is the visitor's to write.
    saved_step = saved if saved in STEPS else ""
    saved_appointment = saved if saved in ("appointment", "appointment_cancelled") else ""
    return page(
        request,
        "participant.html",
        caller,
        status,
        person=person,
        view=view,
        unreadable=unreadable,
        saved=saved_step,
        saved_appointment=saved_appointment,
        inputs_of=inputs_of,
        failed_action=failed_action,
        failed=failed_state,
        open_form=open_form or FormState(),
        appointment_form=appointment_form or FormState(),
        exclusions_form=exclusions_form or FormState(),
        external_form=external_form or FormState(),
        exclusions=list(Exclusion),
        saved_exclusions=saved == "exclusions",
        planned=planned,
        messages=messages,
        upcoming=_upcoming,
        appointment_kinds=list(AppointmentKind),
        programmes=list(Programme),
        today=local_date(datetime.now(UTC)).isoformat(),
        new_key=lambda: str(uuid.uuid4()),
        form_level=FORM_LEVEL,
    )


async def _appointments(
    services: Services, caller: Caller, view: PathwayView
) -> list[AppointmentOut]:
    """The read model's appointments, with the workflow's own (newer) state over them: a page
    shown right after a change shows it, without waiting for the projection."""
    pathway_id = uuid.UUID(view.id)
    listed = {a.id: a for a in await reminders.appointments_of(services, caller, pathway_id)}
    listed.update({a.id: held_appointment(pathway_id, a) for a in view.appointments})
    return sorted(listed.values(), key=lambda a: (a.starts_at, a.id))
