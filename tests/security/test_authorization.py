"""Every endpoint, called as every role from inside and outside the unit (DESIGN.md §4 codes)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from api.app import API_PREFIX, create_app
from tests.support import PASSWORD, Staff, person, settings_for_tests

ROLES = ("anonymous", "caseworker", "supervisor", "admin", "stranger")
Target = Callable[[httpx.AsyncClient, Staff], Awaitable[str]]


async def _participant(api: httpx.AsyncClient, staff: Staff) -> str:
    answer = await api.post("/participants", json=person(), headers=staff.caseworker)
    return str(answer.json()["id"])


async def _pathway(api: httpx.AsyncClient, staff: Staff) -> str:
    participant = await _participant(api, staff)
    answer = await api.post(
        f"/participants/{participant}/pathways",
        json={"programme": "kis", "start_date": "2026-01-05"},
        headers=staff.caseworker,
    )
    return str(answer.json()["id"])


def fixed(path: str) -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        return path

    return target


def of_participant(suffix: str = "") -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        return f"/participants/{await _participant(api, staff)}{suffix}"

    return target


def of_pathway(suffix: str = "") -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        return f"/pathways/{await _pathway(api, staff)}{suffix}"

    return target


async def _cooperative(api: httpx.AsyncClient, staff: Staff) -> str:
    body = {"name": "Spoldzielnia", "founded_by": "natural"}
    answer = await api.post("/cooperatives", json=body, headers=staff.caseworker)
    return str(answer.json()["id"])


def of_own_unit(suffix: str) -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        return f"/units/{staff.unit_code}{suffix}"

    return target


def of_cooperative(suffix: str = "") -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        return f"/cooperatives/{await _cooperative(api, staff)}{suffix}"

    return target


def of_cooperative_member(suffix: str = "") -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        cooperative = await _cooperative(api, staff)
        outsider = {"kind": "natural", "name": "Outside Person", "from_excluded_group": True}
        answer = await api.post(
            f"/cooperatives/{cooperative}/members",
            json={"outside": outsider},
            headers=staff.caseworker,
        )
        member = answer.json()["members"][-1]["member_id"]
        return f"/cooperatives/{cooperative}/members/{member}{suffix}"

    return target


@dataclass(frozen=True)
class Row:
    """One endpoint, the body to send, and the status each role gets."""

    method: str
    route: str
    target: Target
    body: Callable[[], Any] | None
    expected: tuple[int, int, int, int, int]  # anonymous, caseworker, supervisor, admin, stranger


def _unit() -> dict[str, str]:
    return {"code": f"U-{uuid.uuid4().hex[:8]}", "name": "Unit", "kind": "cis"}


MATRIX = [
    Row("GET", "/health", fixed("/health"), None, (200, 200, 200, 200, 200)),
    Row("GET", "/ready", fixed("/ready"), None, (200, 200, 200, 200, 200)),
    Row("POST", "/units", fixed("/units"), _unit, (401, 403, 403, 201, 403)),
    Row(
        "PUT",
        "/units/{code}/policy",
        of_own_unit("/policy"),
        lambda: {"caseload_only": False},
        (401, 403, 403, 200, 403),
    ),
    Row(
        "POST",
        "/users",
        fixed("/users"),
        lambda: {
            "username": f"u-{uuid.uuid4().hex[:8]}",
            "password": PASSWORD,
            "role": "caseworker",
            "unit_code": "SYSTEM-MISSING",
        },
        (401, 403, 403, 422, 403),  # the admin reaches validation: the unit does not exist
    ),
    Row("POST", "/participants", fixed("/participants"), person, (401, 201, 201, 403, 201)),
    Row("GET", "/participants", fixed("/participants"), None, (401, 200, 200, 403, 200)),
    Row(
        "GET",
        "/participants/{participant_id}",
        of_participant(),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "POST",
        "/participants/{participant_id}/pathways",
        of_participant("/pathways"),
        lambda: {"programme": "kis", "start_date": "2026-01-05"},
        (401, 201, 201, 403, 404),
    ),
    Row("GET", "/pathways/{pathway_id}", of_pathway(), None, (401, 200, 200, 403, 404)),
    Row(
        "GET",
        "/pathways/{pathway_id}/benefits",
        of_pathway("/benefits?month=2026-03"),
        None,
        (401, 409, 409, 403, 404),  # allowed through; a KIS pathway has no CIS benefit
    ),
    Row(
        "POST",
        "/pathways/{pathway_id}/actions",
        of_pathway("/actions"),
        lambda: {"type": "record_diagnosis"},
        (401, 200, 200, 403, 404),
    ),
    Row("GET", "/audit", fixed("/audit"), None, (401, 403, 200, 200, 403)),
    Row(
        "GET",
        "/participants/{participant_id}/export",
        of_participant("/export"),
        None,
        (401, 403, 200, 403, 403),
    ),
    Row(
        "POST",
        "/participants/{participant_id}/erasure",
        of_participant("/erasure"),
        None,
        (401, 403, 409, 403, 403),  # the supervisor is allowed; the retention period runs
    ),
    Row(
        "POST",
        "/codec/decode",
        fixed("/codec/decode"),
        lambda: {"payloads": []},
        (401, 200, 200, 403, 200),
    ),
]
MATRIX += [
    Row(
        "POST",
        "/cooperatives",
        fixed("/cooperatives"),
        lambda: {"name": "Spoldzielnia", "founded_by": "natural"},
        (401, 201, 201, 403, 201),
    ),
    Row("GET", "/cooperatives/{cooperative_id}", of_cooperative(), None, (401, 200, 200, 403, 404)),
    Row(
        "POST",
        "/cooperatives/{cooperative_id}/members",
        of_cooperative("/members"),
        lambda: {"outside": {"kind": "natural", "name": "O", "from_excluded_group": True}},
        (401, 200, 200, 403, 404),
    ),
    Row(
        "DELETE",
        "/cooperatives/{cooperative_id}/members/{member_id}",
        of_cooperative_member(),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "POST",
        "/cooperatives/{cooperative_id}/members/{member_id}/employment",
        of_cooperative_member("/employment"),
        lambda: {"contract_type": "employment"},
        (401, 200, 200, 403, 404),
    ),
    Row(
        "POST",
        "/cooperatives/{cooperative_id}/steps",
        of_cooperative("/steps"),
        lambda: {"type": "founding_meeting_held"},
        (401, 409, 409, 403, 404),  # allowed through; a group without founders cannot meet
    ),
]
# Caseworker tasks (issue 4): the unit's tasks for its casework roles; an admin sees no cases.
MATRIX += [
    Row("GET", "/tasks", fixed("/tasks?due=today"), None, (401, 200, 200, 403, 200)),
    Row(
        "PUT",
        "/units/{code}/task-policy",
        of_own_unit("/task-policy"),
        lambda: {"escalate_after_working_days": 3},
        (401, 403, 403, 200, 403),
    ),
]
# Supervisors' reports (issue 5): aggregates of the caller's unit; caseworkers are refused.
MATRIX += [
    Row(
        "GET",
        "/reports/kpis",
        fixed("/reports/kpis?from=2025-01-01&to=2025-12-31"),
        None,
        (401, 403, 200, 200, 403),
    ),
    Row(
        "GET",
        "/reports/annual",
        fixed("/reports/annual?year=2025"),
        None,
        (401, 403, 200, 200, 403),
    ),
]


def _appointment_body() -> dict[str, str]:
    starts = datetime.now(UTC) + timedelta(days=3)
    return {"starts_at": starts.isoformat(), "kind": "workshop", "place": "sala 12"}


def of_appointment(collection: str, suffix: str) -> Target:
    """An appointment of the caller's unit, under `collection` (`appointments`, or `sessions`,
    the deprecated first name of the same paths)."""

    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        pathway = await _pathway(api, staff)
        made = await api.post(
            f"/pathways/{pathway}/{collection}", json=_appointment_body(), headers=staff.caseworker
        )
        return f"/pathways/{pathway}/{collection}/{made.json()['id']}{suffix}"

    return target


# Participants' reminders (issue 4): the gateway's webhook needs its shared secret (unset in
# tests: 401 for all), the unsubscribe link needs a genuine token (a forged one is 404 for all).
MATRIX += [
    Row(
        "GET",
        "/participants/{participant_id}/notifications",
        of_participant("/notifications"),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "PUT",
        "/participants/{participant_id}/notification-preferences",
        of_participant("/notification-preferences"),
        lambda: {"language": "en"},
        (401, 200, 200, 403, 404),
    ),
    Row(
        "PUT",
        "/participants/{participant_id}/exclusions",
        of_participant("/exclusions"),
        lambda: {"exclusions": ["incapacity_pension"]},
        (401, 200, 200, 403, 404),
    ),
    Row(
        "PUT",
        "/units/{code}/targets",
        of_own_unit("/targets"),
        lambda: {"employment_target_pct": "30"},
        (401, 403, 403, 200, 403),
    ),
    Row(
        "POST",
        "/pathways/{pathway_id}/appointments",
        of_pathway("/appointments"),
        _appointment_body,
        (401, 201, 201, 403, 404),
    ),
    Row(
        "GET",
        "/pathways/{pathway_id}/appointments",
        of_pathway("/appointments"),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "POST",
        "/pathways/{pathway_id}/appointments/{appointment_id}/cancel",
        of_appointment("appointments", "/cancel"),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "POST",
        "/pathways/{pathway_id}/sessions",
        of_pathway("/sessions"),
        _appointment_body,
        (401, 201, 201, 403, 404),
    ),
    Row(
        "GET",
        "/pathways/{pathway_id}/sessions",
        of_pathway("/sessions"),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "POST",
        "/pathways/{pathway_id}/sessions/{appointment_id}/cancel",
        of_appointment("sessions", "/cancel"),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "PUT",
        "/units/{code}/contact",
        of_own_unit("/contact"),
        lambda: {"phone": "+48 12 345 67 89"},
        (401, 403, 403, 200, 403),
    ),
    Row(
        "POST",
        "/notifications/sms-inbound",
        fixed("/notifications/sms-inbound"),
        lambda: {"from": "+48600100200", "text": "STOP"},
        (401, 401, 401, 401, 401),
    ),
    Row(
        "GET",
        "/notifications/unsubscribe/{token}",
        fixed("/notifications/unsubscribe/forged"),
        None,
        (404, 404, 404, 404, 404),
    ),
    Row(
        "POST",
        "/notifications/unsubscribe/{token}",
        fixed("/notifications/unsubscribe/forged"),
        None,
        (404, 404, 404, 404, 404),
    ),
]
# Logging in is open to all by nature; its throttling is tested on its own.
MATRIX += [
    Row(
        "GET",
        "/notifications/failed",
        fixed("/notifications/failed"),
        None,
        (401, 200, 200, 403, 200),
    ),
]

# The month's payroll (issue 15): caseworkers see it to complete what is missing; the supervisor
# closes and exports it (an administrator of another unit has no business with its money).
MATRIX += [
    Row("GET", "/payroll/{month}", fixed("/payroll/2025-01"), None, (401, 200, 200, 403, 200)),
    Row(
        "POST",
        "/payroll/{month}/close",
        fixed("/payroll/2025-01/close"),
        None,
        (401, 403, 200, 403, 403),
    ),
    Row(
        "GET",
        "/payroll/{month}/export",
        fixed("/payroll/2025-01/export?format=xlsx"),
        None,
        (401, 403, 200, 403, 403),
    ),
    Row(
        "GET",
        "/payroll/{month}/refunds",
        fixed("/payroll/2025-01/refunds"),
        None,
        (401, 403, 200, 403, 403),
    ),
]

# A pathway's documents (issue 15): the list, and a document by its step (seq 1, the start,
# makes none: 404 for those who may see the pathway).
MATRIX += [
    Row(
        "GET",
        "/pathways/{pathway_id}/documents",
        of_pathway("/documents"),
        None,
        (401, 200, 200, 403, 404),
    ),
    Row(
        "GET",
        "/pathways/{pathway_id}/documents/{seq}",
        of_pathway("/documents/1"),
        None,
        (401, 404, 404, 403, 404),
    ),
]

# Uploaded scans (issue 15): the matrix sends JSON, not a file (422 for those who may upload).
MATRIX += [
    Row(
        "POST",
        "/pathways/{pathway_id}/scans",
        of_pathway("/scans"),
        None,
        (401, 422, 422, 403, 404),
    ),
    Row(
        "GET", "/pathways/{pathway_id}/scans", of_pathway("/scans"), None, (401, 200, 200, 403, 404)
    ),
    Row(
        "GET",
        "/pathways/{pathway_id}/scans/{scan_id}",
        of_pathway(f"/scans/{uuid.uuid4()}"),
        None,
        (401, 404, 404, 403, 404),
    ),
]


# A centre's week (issue 14): groups, classes, lists, PSU.
_GROUP = {"name": "Warsztat gastronomiczny", "kind": "workshop"}
_DAY = "2026-11-02"
_NOBODY = "00000000-0000-4000-8000-000000000000"


async def _group(api: httpx.AsyncClient, staff: Staff) -> str:
    answer = await api.post("/groups", json=_GROUP, headers=staff.caseworker)
    return str(answer.json()["id"])


def of_group(suffix: str = "") -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        return f"/groups/{await _group(api, staff)}{suffix}"

    return target


def of_member(suffix: str) -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        group = await _group(api, staff)
        member = await _participant(api, staff)
        body = {"participant_id": member, "on": _DAY}
        await api.post(f"/groups/{group}/members", json=body, headers=staff.caseworker)
        return f"/groups/{group}/members/{member}{suffix}"

    return target


def of_class(suffix: str) -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        body = {"kind": "workshop", "title": "Gastronomia", "place": "Sala 1",
                "group_id": await _group(api, staff), "starts_at": "08:00", "hours": "6",
                "on": _DAY}  # fmt: skip
        answer = await api.post("/classes", json=body, headers=staff.caseworker)
        return f"/classes/{answer.json()['id']}{suffix}"

    return target


def _agreement() -> dict[str, str]:
    return {"host": "Dom Pomocy Społecznej", "signed_on": "2026-01-02",
            "valid_from": "2026-01-02", "valid_until": "2026-12-31"}  # fmt: skip


def of_agreement(suffix: str) -> Target:
    async def target(api: httpx.AsyncClient, staff: Staff) -> str:
        answer = await api.post("/psu/agreements", json=_agreement(), headers=staff.caseworker)
        return f"/psu/agreements/{answer.json()['id']}{suffix}"

    return target


_NOT_HERE = (401, 404, 404, 403, 404)  # an unknown person or group in the body is 404 too
MATRIX += [
    Row("POST", "/groups", fixed("/groups"), lambda: _GROUP, (401, 201, 201, 403, 201)),
    Row("GET", "/groups", fixed("/groups"), None, (401, 200, 200, 403, 200)),
    Row("GET", "/groups/{group_id}", of_group(), None, (401, 200, 200, 403, 404)),
    Row("PUT", "/groups/{group_id}/instructor", of_group("/instructor"),
        lambda: {"instructor_id": None}, (401, 200, 200, 403, 404)),
    Row("POST", "/groups/{group_id}/members", of_group("/members"),
        lambda: {"participant_id": _NOBODY, "on": _DAY}, _NOT_HERE),
    Row("POST", "/groups/{group_id}/members/{participant_id}/leave", of_member("/leave"),
        lambda: {"on": "2026-11-10"}, (401, 200, 200, 403, 404)),
    Row("PUT", "/participants/{participant_id}/certified-hours",
        of_participant("/certified-hours"), lambda: {"weekly_hours": "30"},
        (401, 200, 200, 403, 404)),
    Row("POST", "/classes", fixed("/classes"),
        lambda: {"kind": "training", "title": "BHP", "place": "Sala 2", "group_id": _NOBODY,
                 "starts_at": "08:00", "hours": "2", "on": _DAY}, _NOT_HERE),
    Row("POST", "/classes/{class_id}/cancel", of_class("/cancel"), lambda: {"day": _DAY},
        (401, 200, 200, 403, 404)),
    Row("POST", "/classes/{class_id}/attendance", of_class("/attendance"),
        lambda: {"day": _DAY, "marks": [{"participant_id": _NOBODY, "mark": "present",
                                         "hours": "6"}]},
        (401, 200, 200, 403, 404)),
    Row("GET", "/timetable", fixed("/timetable?first=2026-11-02&last=2026-11-08"), None,
        (401, 200, 200, 403, 200)),
    Row("GET", "/timetable/check", fixed("/timetable/check?month=2026-11"), None,
        (401, 200, 200, 403, 200)),
    # "My classes": each member of staff's own (the admin sees no participants' classes).
    Row("GET", "/me/classes", fixed("/me/classes?date=2026-11-02"), None,
        (401, 200, 200, 403, 200)),
    Row("GET", "/attendance", fixed("/attendance?month=2026-11"), None,
        (401, 200, 200, 403, 200)),
    Row("POST", "/psu/agreements", fixed("/psu/agreements"), _agreement,
        (401, 201, 201, 403, 201)),
    Row("GET", "/psu/agreements", fixed("/psu/agreements"), None, (401, 200, 200, 403, 200)),
    Row("POST", "/psu/agreements/{agreement_id}/hours", of_agreement("/hours"),
        lambda: {"participant_id": _NOBODY, "day": _DAY, "hours": "2"}, _NOT_HERE),
    Row("GET", "/groups/{group_id}/attendance-list", of_group("/attendance-list?month=2026-11"),
        None, (401, 200, 200, 403, 404)),
    Row("GET", "/participants/{participant_id}/timesheet",
        of_participant("/timesheet?month=2026-11"), None, (401, 200, 200, 403, 404)),
]  # fmt: skip

# Who holds each case (issue 16): one's own caseload, the unit's loads and hand-overs for its
# supervisors, the caseload limit for admins. Colleagues unknown to the unit are 422.
MATRIX += [
    Row("GET", "/caseload", fixed("/caseload"), None, (401, 200, 200, 403, 200)),
    Row("GET", "/caseloads", fixed("/caseloads"), None, (401, 403, 200, 403, 403)),
    Row(
        "POST",
        "/caseload/handovers",
        fixed("/caseload/handovers"),
        lambda: {"from_caseworker": str(uuid.uuid4()), "to": [str(uuid.uuid4())]},
        (401, 403, 422, 403, 403),
    ),
    Row(
        "PUT",
        "/units/{code}/caseload-policy",
        of_own_unit("/caseload-policy"),
        lambda: {"max_open_cases": 40},
        (401, 403, 403, 200, 403),
    ),
    Row(
        "PUT",
        "/pathways/{pathway_id}/deputy",
        of_pathway("/deputy"),
        lambda: {"deputy_id": None},
        (401, 403, 200, 403, 403),
    ),
    Row(
        "POST",
        "/caseload/leaves",
        fixed("/caseload/leaves"),
        lambda: {
            "caseworker_id": str(uuid.uuid4()),
            "first_day": "2026-07-01",
            "last_day": "2026-07-14",
        },
        (401, 403, 422, 403, 403),
    ),
    Row("GET", "/caseload/leaves", fixed("/caseload/leaves"), None, (401, 200, 200, 403, 200)),
    Row(
        "PUT",
        "/units/{code}/places",
        of_own_unit("/places"),
        lambda: {"programme": "cis", "places": 40},
        (401, 403, 403, 200, 403),
    ),
    Row(
        "GET",
        "/waiting-list",
        fixed("/waiting-list?programme=cis"),
        None,
        (401, 200, 200, 403, 200),
    ),
    Row(
        "POST",
        "/waiting-list",
        fixed("/waiting-list"),
        lambda: {
            "participant_id": str(uuid.uuid4()),
            "programme": "cis",
            "applied_on": "2026-01-05",
        },
        (401, 404, 404, 403, 404),
    ),
    Row(
        "DELETE",
        "/waiting-list/{entry_id}",
        fixed(f"/waiting-list/{uuid.uuid4()}"),
        None,
        (401, 404, 404, 403, 404),
    ),
    Row(
        "POST",
        "/referrals",
        fixed("/referrals"),
        lambda: {
            "participant_id": str(uuid.uuid4()),
            "to_unit": "SYSTEM-MISSING",
            "referred_on": "2026-01-05",
            "reason": "CIS",
            "consent_transfer": True,
        },
        (401, 404, 404, 403, 404),
    ),
    Row("GET", "/referrals", fixed("/referrals"), None, (401, 200, 200, 403, 200)),
    Row(
        "POST",
        "/referrals/external",
        fixed("/referrals/external"),
        lambda: {
            "participant_id": str(uuid.uuid4()),
            "institution": "Powiatowy Urząd Pracy",
            "referred_on": "2026-01-05",
            "reason": "zatrudnienie wspierane",
            "consent_transfer": True,
        },
        (401, 404, 404, 403, 404),
    ),
    Row(
        "POST",
        "/referrals/external/{referral_id}/outcome",
        fixed(f"/referrals/external/{uuid.uuid4()}/outcome"),
        lambda: {"outcome": "accepted", "outcome_on": "2026-01-20"},
        (401, 404, 404, 403, 404),
    ),
    Row(
        "POST",
        "/referrals/{referral_id}/accept",
        fixed(f"/referrals/{uuid.uuid4()}/accept"),
        lambda: {"start_date": "2026-01-05"},
        (401, 403, 404, 403, 403),
    ),
    Row(
        "POST",
        "/referrals/{referral_id}/decline",
        fixed(f"/referrals/{uuid.uuid4()}/decline"),
        lambda: {"reason": "brak miejsc"},
        (401, 403, 404, 403, 403),
    ),
]

UNGUARDED = {("POST", "/auth/token")}
# Logging out revokes the token the matrix goes on using: tests/security/test_logout.py.
OWN_TEST = {("POST", "/auth/logout")}


def test_the_matrix_names_every_endpoint() -> None:
    routes = {
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, operations in create_app(settings_for_tests()).openapi()["paths"].items()
        for method in operations
    }
    assert routes - UNGUARDED - OWN_TEST == {(row.method, row.route) for row in MATRIX}


async def test_every_endpoint_answers_every_role_as_the_contract_says(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    headers = {
        "anonymous": {},
        "caseworker": staff.caseworker,
        "supervisor": staff.supervisor,
        "admin": staff.admin,
        "stranger": staff.stranger,
    }
    wrong: list[str] = []
    for row in MATRIX:
        for role, expected in zip(ROLES, row.expected, strict=True):
            path = await row.target(api, staff)
            body = row.body() if row.body else None
            answer = await api.request(row.method, path, json=body, headers=headers[role])
            if answer.status_code != expected:
                wrong.append(
                    f"{row.method} {row.route} as {role}: {answer.status_code} {answer.text}"
                )
            if answer.status_code >= 400:
                assert answer.json()["error"]["code"], answer.text
    assert wrong == []


async def test_a_stranger_lists_nothing_of_another_unit(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = person()
    await api.post("/participants", json=body, headers=staff.caseworker)
    theirs = await api.get("/participants", params={"q": body["last_name"]}, headers=staff.stranger)
    ours = await api.get("/participants", params={"q": body["last_name"]}, headers=staff.caseworker)
    assert theirs.json()["items"] == []
    assert len(ours.json()["items"]) == 1


async def test_an_expired_or_forged_token_is_401(api: httpx.AsyncClient, staff: Staff) -> None:
    forged = {"Authorization": staff.caseworker["Authorization"][:-3] + "abc"}
    answer = await api.get("/participants", headers=forged)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
