"""Who holds each case, from the web (issue 16): "my caseload" with load against capacity, the
supervisor's hand-over, the waiting list (referrals: web/routes/referrals.py). The same services
as the API's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from domain.caseload import DeputyUpdate, HandoverRequest, HandoverResult, LeaveCreate
from domain.errors import DomainError
from domain.roles import Role
from domain.stages import Programme
from services import caseloads, handovers, places
from services.context import Caller, Services
from web.deps import Casework, ServicesDep, Supervisor
from web.i18n import Translator, language
from web.login import CsrfChecked
from web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/web/caseload")
async def my_caseload(
    request: Request, services: ServicesDep, caller: Casework, caseworker: str = ""
) -> HTMLResponse:
    """The caller's open cases against their capacity; a supervisor may look at a colleague's
    and give a case to someone else or name its deputy."""
    try:
        whose = uuid.UUID(caseworker) if caseworker else None
    except ValueError:
        whose = None
    shown = await caseloads.caseload_of(services, caller, whose)
    loads = (
        (await caseloads.unit_caseloads(services, caller)).loads
        if caller.role is Role.SUPERVISOR
        else []
    )
    return page(
        request, "caseload.html", caller, caseload=shown, loads=loads, key=str(uuid.uuid4())
    )


@router.post("/web/caseload/cases/{pathway_id}/holder", response_model=None)
async def give_case(
    pathway_id: uuid.UUID,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
    holder: Annotated[str, Form(max_length=40)] = "",
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Give one case to a colleague (within capacity; a refusal is the error page)."""
    body = HandoverRequest.model_validate({"pathway_ids": [pathway_id], "to": [holder]})
    result, _replayed = await handovers.hand_over(services, caller, body, idempotency_key or None)
    previous = result.moved[0].previous if result.moved else ""
    return RedirectResponse(f"/web/caseload?caseworker={previous}", 303)


@router.post("/web/caseload/cases/{pathway_id}/deputy", response_model=None)
async def name_deputy(
    pathway_id: uuid.UUID,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
    deputy: Annotated[str, Form(max_length=40)] = "",
    holder: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Name (or clear) a case's deputy."""
    body = DeputyUpdate.model_validate({"deputy_id": deputy or None})
    await caseloads.set_deputy(services, caller, pathway_id, body)
    return RedirectResponse(f"/web/caseload?caseworker={holder}", 303)


async def _handover_page(
    request: Request,
    services: Services,
    caller: Caller,
    status: int = 200,
    result: HandoverResult | None = None,
    refusal: str = "",
    leave_refusal: str = "",
) -> HTMLResponse:
    unit = await caseloads.unit_caseloads(services, caller)
    leaves = await caseloads.unit_leaves(services, caller)
    names = {str(load.caseworker_id): load.caseworker for load in unit.loads}
    return page(
        request,
        "handover.html",
        caller,
        status,
        loads=unit.loads,
        leaves=leaves.items,
        names=names,
        result=result,
        refusal=refusal,
        leave_refusal=leave_refusal,
        key=str(uuid.uuid4()),
    )


@router.get("/web/caseload/handover")
async def handover_form(
    request: Request, services: ServicesDep, caller: Supervisor
) -> HTMLResponse:
    """Each holder's load against capacity, and the form to hand a caseload over."""
    return await _handover_page(request, services, caller)


@router.post("/web/caseload/handover")
async def hand_over(
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
    from_caseworker: Annotated[str, Form(max_length=40)] = "",
    to: Annotated[list[str] | None, Form()] = None,
    partial: Annotated[str, Form(max_length=5)] = "",
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    """Hand a caseworker's open cases to the colleagues ticked, balanced by load."""
    t = Translator(language(request))
    try:
        body = HandoverRequest.model_validate(
            {"from_caseworker": from_caseworker or None, "to": to or [], "partial": bool(partial)}
        )
        result, _replayed = await handovers.hand_over(
            services, caller, body, idempotency_key or None
        )
    except ValidationError:
        refusal = t.gettext("Choose whose cases and at least one colleague to take them.")
        return await _handover_page(request, services, caller, 422, refusal=refusal)
    except DomainError as err:
        return await _handover_page(request, services, caller, 409, refusal=t.error(err))
    return await _handover_page(request, services, caller, result=result)


@router.post("/web/caseload/leaves", response_model=None)
async def record_leave(
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
    caseworker_id: Annotated[str, Form(max_length=40)] = "",
    first_day: Annotated[str, Form(max_length=10)] = "",
    last_day: Annotated[str, Form(max_length=10)] = "",
    cover_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """A caseworker's leave: their tasks and digest go to the deputies (else the cover)."""
    t = Translator(language(request))
    fields = {"caseworker_id": caseworker_id, "first_day": first_day, "last_day": last_day}
    try:
        body = LeaveCreate.model_validate({**fields, "cover_id": cover_id or None})
        await caseloads.record_leave(services, caller, body)
    except ValidationError:
        refusal = t.gettext(
            "Give the caseworker, the first and the last day (the last not before the first)."
        )
        return await _handover_page(request, services, caller, 422, leave_refusal=refusal)
    except DomainError as err:
        return await _handover_page(request, services, caller, 409, leave_refusal=t.error(err))
    return RedirectResponse("/web/caseload/handover#leaves", 303)


@router.get("/web/waiting-list")
async def waiting_list(
    request: Request, services: ServicesDep, caller: Casework, programme: Programme = Programme.CIS
) -> HTMLResponse:
    """Who waits for a place, in the unit's order, with the places taken and free."""
    listed = await places.waiting_list(services, caller, programme)
    return page(request, "waiting_list.html", caller, waiting=listed, programmes=list(Programme))
