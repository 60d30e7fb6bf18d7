"""The centre's week from the web: the timetable by group, staff or room, "my classes today"
(the instructor's landing page) and the attendance form for a class (the API's own services: one
request records the whole list)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from domain.calendar import local_date
from domain.centre_views import AttendanceListIn, AttendanceListOut
from domain.errors import DomainError, InvalidInput
from domain.roles import TEACHING_ROLES
from domain.timetable import in_range
from services import accounts, class_lists, group_attendance, groups, timetable
from services.context import Caller
from web.deps import CallerDep, ServicesDep
from web.i18n import Translator, language
from web.login import CsrfChecked
from web.render import page

router = APIRouter(include_in_schema=False)


async def _teaching(caller: CallerDep) -> Caller:
    return accounts.permit(caller, *TEACHING_ROLES)


# Caseworkers, the head and instructors (who see only their groups' and their own classes).
Teaching = Annotated[Caller, Depends(_teaching)]

# The form's choice per person -> the list's mark (absences carry their kind).
CHOICES = ("present", "excused", "unexcused", "sick", "day_off")


def _chosen(field: str | None) -> uuid.UUID | None:
    """A picker's choice: empty is none, anything else a UUID."""
    if not field:
        return None
    try:
        return uuid.UUID(field)
    except ValueError:
        raise InvalidInput("invalid_choice", "Choose from the list.") from None


@router.get("/web/timetable")
async def week(
    request: Request,
    services: ServicesDep,
    caller: Teaching,
    week: Annotated[date | None, Query()] = None,
    group_field: Annotated[str | None, Query(alias="group", max_length=36)] = None,
    staff_field: Annotated[str | None, Query(alias="staff", max_length=36)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """A week of the programme (Monday to Sunday), by group, staff member or room (the form's
    "all" choices send an empty field)."""
    group, staff = _chosen(group_field), _chosen(staff_field)
    day = week or local_date(datetime.now(UTC))
    in_range(day, day)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    found = await timetable.week_view(
        services, caller, monday, days[-1], group, staff, place or None
    )
    by_day = {d: [c for c in found.days if c.day == d] for d in days}
    chosen = {"group": group, "staff": staff, "place": place or None}
    kept = urlencode({k: str(v) for k, v in chosen.items() if v is not None})
    return page(
        request, "timetable.html", caller, monday=monday, days=days, by_day=by_day,
        groups=await groups.list_groups(services, caller), group=group, staff=staff,
        place=place or "", staff_choices=found.staff, places=found.places,
        staff_names={str(s.id): s.name for s in found.staff}, kept=kept,
        previous=monday - timedelta(days=7), following=monday + timedelta(days=7),
    )  # fmt: skip


@router.get("/web/my-classes")
async def my_classes(
    request: Request,
    services: ServicesDep,
    caller: Teaching,
    day: Annotated[date | None, Query()] = None,
) -> HTMLResponse:
    """My classes of a day (today unless asked): the ones I give or of the groups I lead, each
    with its attendance form and whether its list was sent."""
    today = local_date(datetime.now(UTC))
    shown = day or today
    in_range(shown, shown)
    return page(
        request, "my_classes.html", caller, day=shown, today=shown == today,
        classes=await class_lists.my_classes(services, caller, shown),
        previous=shown - timedelta(days=1), following=shown + timedelta(days=1),
    )  # fmt: skip


@router.get("/web/classes/{class_id}/attendance")
async def attendance_form(
    class_id: uuid.UUID,
    request: Request,
    services: ServicesDep,
    caller: Teaching,
    day: Annotated[date, Query()],
) -> HTMLResponse:
    """The class's list for a day: each expected person, present with hours, absent, day off."""
    sheet = await class_lists.sheet(services, caller, class_id, day)
    return page(
        request,
        "class_attendance.html",
        caller,
        sheet=sheet,
        result=None,
        errors={},
        reasons=[],
        sent={},
    )


@router.post("/web/classes/{class_id}/attendance")
async def send_list(
    class_id: uuid.UUID,
    request: Request,
    _: CsrfChecked,
    services: ServicesDep,
    caller: Teaching,
    day: Annotated[date, Query()],
) -> HTMLResponse:
    """Send the whole list in one request; the page says who was recorded and who was not."""
    t = Translator(language(request))
    form = await request.form()
    sheet = await class_lists.sheet(services, caller, class_id, day)
    marks, errors = [], {}
    for line in sheet.lines:
        pid = str(line.participant_id)
        choice = str(form.get(f"mark-{pid}", ""))
        if choice not in CHOICES:
            continue
        mark: dict[str, object] = {"participant_id": pid}
        if choice == "present":
            try:
                hours = Decimal(str(form.get(f"hours-{pid}", "")).replace(",", "."))
            except InvalidOperation:
                errors[pid] = t.gettext("Enter the hours present, e.g. 6 or 5,5.")
                continue
            mark |= {"mark": "present", "hours": hours}
        elif choice == "day_off":
            mark |= {"mark": "day_off"}
        else:
            mark |= {"mark": "absent", "absence": choice}
        marks.append(mark)
    result: AttendanceListOut | None = None
    status = 200
    if not errors and marks:
        try:
            reason = str(form.get("reason", "")).strip() or None  # a correction's, if given
            body = AttendanceListIn.model_validate(
                {"day": day, "correction": str(form.get("correction", "0")), "marks": marks,
                 "reason": reason}
            )  # fmt: skip
            result = await group_attendance.record_list(services, caller, class_id, body)
        except ValidationError as err:
            errors["form"] = "; ".join(t.validation(err).values())
            status = 422
        except DomainError as err:
            errors["form"] = t.error(err)
            status = 409
        sheet = await class_lists.sheet(services, caller, class_id, day)
    elif not marks and not errors:
        errors["form"] = t.gettext("Mark at least one person.")
        status = 422
    else:
        status = 422
    names = {line.participant_id: line.name for line in sheet.lines}
    reasons = [
        (names.get(n.participant_id, ""), t.error(DomainError(n.code, n.message)))
        for n in (result.not_recorded if result else [])
    ]
    # What was sent stays chosen for those not recorded (and for every field after an error).
    sent = {str(line.participant_id): str(form.get(f"mark-{line.participant_id}", ""))
            for line in sheet.lines}  # fmt: skip
    return page(
        request, "class_attendance.html", caller, status, sheet=sheet, result=result,
        errors=errors, reasons=reasons, sent=sent,
    )  # fmt: skip
