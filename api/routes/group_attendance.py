"""A class's attendance list in one request; the month's "who was here"; PSU agreements."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from api.deps import Casework, ServicesDep
from api.routes.groups import MONTH, Teaching
from domain.centre_views import (
    AttendanceListIn,
    AttendanceListOut,
    PresentRow,
    PsuAgreementIn,
    PsuAgreementOut,
    PsuHoursIn,
)
from services import group_attendance, printouts, psu

router = APIRouter(tags=["groups"])


@router.post("/classes/{class_id}/attendance")
async def record_list(
    class_id: uuid.UUID, body: AttendanceListIn, services: ServicesDep, caller: Teaching
) -> AttendanceListOut:
    """Each member present (hours), absent (excused, unexcused, sick) or on a day off: each
    person's day goes to their pathway once, however often the list is sent; the answer names
    whose day was not recorded and why. A correction is the same list with `correction` + 1."""
    return await group_attendance.record_list(services, caller, class_id, body)


@router.get("/attendance")
async def who_was_here(
    services: ServicesDep, caller: Casework, month: Annotated[str, MONTH]
) -> list[PresentRow]:
    """The month's standing marks of the unit's lists (the latest correction of each)."""
    year, number = (int(part) for part in month.split("-"))
    return await group_attendance.who_was_here(services, caller, year, number)


@router.post("/psu/agreements", status_code=status.HTTP_201_CREATED)
async def sign_agreement(
    body: PsuAgreementIn, services: ServicesDep, caller: Casework
) -> PsuAgreementOut:
    """The municipality's PSU agreement with a host institution; it keeps its act's caps."""
    return await psu.sign_agreement(services, caller, body)


@router.get("/psu/agreements")
async def list_agreements(services: ServicesDep, caller: Casework) -> list[PsuAgreementOut]:
    """The unit's PSU agreements."""
    return await psu.agreements(services, caller)


@router.post("/psu/agreements/{agreement_id}/hours")
async def place_hours(
    agreement_id: uuid.UUID, body: PsuHoursIn, services: ServicesDep, caller: Casework
) -> PsuAgreementOut:
    """A person's PSU hours on a day; over the week's or the month's cap is 409 with the numbers."""
    return await psu.place_hours(services, caller, agreement_id, body)


_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF."}
}


@router.get("/groups/{group_id}/attendance-list", response_class=Response, responses=_PDF)
async def attendance_list_pdf(
    group_id: uuid.UUID, services: ServicesDep, caller: Teaching, month: Annotated[str, MONTH]
) -> Response:
    """The group's monthly attendance list to sign (PDF), from the lists' standing marks."""
    year, number = (int(part) for part in month.split("-"))
    pdf = await printouts.group_list_pdf(services, caller, group_id, year, number)
    return Response(pdf, media_type="application/pdf")


@router.get("/participants/{participant_id}/timesheet", response_class=Response, responses=_PDF)
async def timesheet_pdf(
    participant_id: uuid.UUID, services: ServicesDep, caller: Casework, month: Annotated[str, MONTH]
) -> Response:
    """The participant's monthly timesheet to sign (PDF)."""
    year, number = (int(part) for part in month.split("-"))
    pdf = await printouts.timesheet_pdf(services, caller, participant_id, year, number)
    return Response(pdf, media_type="application/pdf")
