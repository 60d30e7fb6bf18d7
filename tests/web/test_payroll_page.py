"""The supervisor's payroll page (httpx): a month with a participant's gap cannot be closed and
says why in Polish; once complete it closes, and its exports download."""

from __future__ import annotations

import httpx

from tests.support import Staff, eventually, person
from tests.web.conftest import People
from tests.web.test_session import signed_in

MONTH = "2026-10"


async def test_the_supervisor_sees_the_gaps_closes_the_month_and_downloads_it(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "cis", "start_date": "2026-10-28"},
        headers=staff.caseworker,
    )
    pathway = opened.json()["id"]
    steps = [
        (staff.supervisor, {"type": "sign_ipzs", "occurred_on": "2026-10-28"}),
        (staff.caseworker, {"type": "record_attendance", "hours": 8, "occurred_on": "2026-10-28"}),
        (staff.caseworker, {"type": "record_attendance", "hours": 8, "occurred_on": "2026-10-29"}),
    ]
    for headers, step in steps:
        done = await api.post(f"/pathways/{pathway}/actions", json=step, headers=headers)
        assert done.status_code == 200, done.text
    cookie, token = await signed_in(web, people.supervisor, people.password)
    url = f"/web/payroll?month={MONTH}"

    async def with_gap() -> httpx.Response | None:
        answer = await web.get(url, headers={"cookie": cookie})
        return answer if "Otwarta: 1 dni roboczych" in answer.text else None

    page = await eventually(with_gap)
    assert "Lista wypłat 2026-10" in page.text and participant["last_name"] in page.text
    refused = await web.post(
        f"/web/payroll/{MONTH}/close", data={"csrf_token": token}, headers={"cookie": cookie}
    )
    assert refused.status_code == 409
    assert "Nie można zamknąć miesiąca: 1 dni roboczych bez wpisu." in refused.text

    step = {"type": "record_attendance", "hours": 8, "occurred_on": "2026-10-30"}
    done = await api.post(f"/pathways/{pathway}/actions", json=step, headers=staff.caseworker)
    assert done.status_code == 200

    async def complete() -> httpx.Response | None:
        answer = await web.get(url, headers={"cookie": cookie})
        return answer if "Otwarta: 0 dni roboczych" in answer.text else None

    await eventually(complete)
    closed = await web.post(
        f"/web/payroll/{MONTH}/close", data={"csrf_token": token}, headers={"cookie": cookie}
    )
    assert closed.status_code == 303
    page = await web.get(url, headers={"cookie": cookie})
    assert f"przez {people.supervisor}" in page.text
    xlsx = await web.get(f"/web/payroll/{MONTH}/export?format=xlsx", headers={"cookie": cookie})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    caseworker, _ = await signed_in(web, people.caseworker, people.password)
    assert (await web.get(url, headers={"cookie": caseworker})).status_code == 403
