"""Every web page and form, as every role from inside and outside the unit (httpx).

The web routes are not in the OpenAPI document (tests/security/test_authorization.py covers the
API); here anonymous visitors are sent to the login, wrong roles get 403 and another unit's
participant is 404, as in the API.
"""

from __future__ import annotations

import uuid
from urllib.parse import unquote

import httpx

from tests.support import Staff, person
from tests.web.conftest import People
from tests.web.test_session import signed_in

ROLES = ("anonymous", "caseworker", "supervisor", "admin", "stranger")


async def test_every_page_answers_every_role_as_the_api_would(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": "2026-06-01"},
        headers=staff.caseworker,
    )
    pathway = opened.json()["id"]
    sessions = {"anonymous": ("", "")}
    for role in ROLES[1:]:
        sessions[role] = await signed_in(web, getattr(people, role), people.password)
    step = {"type": "record_diagnosis"}
    outcome_form = {"outcome": "accepted", "outcome_on": "2026-11-30"}
    rows: list[tuple[str, str, dict[str, str] | None, tuple[int, ...]]] = [
        ("GET", "/web/", None, (303, 200, 200, 200, 200)),
        ("GET", "/web/participants", None, (303, 200, 200, 403, 200)),
        ("GET", "/web/participants/new", None, (303, 200, 200, 403, 200)),
        ("GET", f"/web/participants/{participant['id']}", None, (303, 200, 200, 403, 404)),
        ("GET", f"/web/pathways/{pathway}", None, (303, 303, 303, 403, 404)),
        ("GET", "/web/dashboard", None, (303, 403, 200, 403, 403)),
        ("GET", "/web/reports/annual?year=2026&format=csv", None, (303, 403, 200, 403, 403)),
        ("GET", "/web/caseload", None, (303, 200, 200, 403, 200)),
        ("GET", "/web/caseload/handover", None, (303, 403, 200, 403, 403)),
        ("GET", "/web/referrals", None, (303, 200, 200, 403, 200)),
        ("GET", "/web/waiting-list", None, (303, 200, 200, 403, 200)),
        ("POST", "/web/participants/pesel", {"pesel": "440514"}, (403, 200, 200, 403, 200)),
        ("POST", f"/web/pathways/{pathway}/actions", step, (303, 303, 409, 403, 404)),
        # The start (seq 1) makes no document: 404 for whoever may see the pathway.
        ("GET", f"/web/pathways/{pathway}/documents/1", None, (303, 404, 404, 403, 404)),
        # Referrals outside the system: an empty form is refused on the page (422); another
        # unit's participant, or an unknown referral, is 404.
        ("POST", f"/web/participants/{participant['id']}/external-referrals", {},
         (403, 422, 422, 403, 404)),
        ("POST", f"/web/referrals/external/{uuid.uuid4()}/outcome", outcome_form,
         (403, 404, 404, 403, 404)),
        ("GET", "/web/payroll?month=2025-01", None, (303, 403, 200, 403, 403)),
        ("GET", "/web/payroll/2025-01/export?format=csv", None, (303, 403, 200, 403, 403)),
        ("POST", "/web/payroll/2025-01/close", {}, (403, 403, 303, 403, 403)),
    ]
    wrong: list[str] = []
    for method, path, form, expected in rows:
        for role, status in zip(ROLES, expected, strict=True):
            cookie, token = sessions[role]
            data = {**form, "csrf_token": token} if form is not None else None
            answer = await web.request(method, path, data=data, headers={"cookie": cookie})
            if answer.status_code != status:
                wrong.append(f"{method} {path} as {role}: {answer.status_code}")
            if answer.status_code == 303 and role == "anonymous":
                back = path if method == "GET" else "/web/"
                assert unquote(answer.headers["location"]) == f"/web/login?next={back}", path
    assert wrong == []
