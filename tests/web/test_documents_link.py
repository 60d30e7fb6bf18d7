"""The timeline links a step to the document it made, and the link gives the PDF (httpx)."""

from __future__ import annotations

import httpx

from tests.support import Staff, eventually, person
from tests.web.conftest import People
from tests.web.test_session import signed_in


async def test_the_timeline_links_the_social_contract_to_its_pdf(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": "2026-06-01"},
        headers=staff.caseworker,
    )
    pathway = opened.json()["id"]
    for step in (
        {"type": "record_diagnosis", "occurred_on": "2026-06-02"},
        {"type": "sign_social_contract", "occurred_on": "2026-06-03"},
    ):
        done = await api.post(f"/pathways/{pathway}/actions", json=step, headers=staff.caseworker)
        assert done.status_code == 200, done.text
    seq = done.json()["timeline"][-1]["seq"]
    cookie, _ = await signed_in(web, people.caseworker, people.password)
    page = await web.get(f"/web/participants/{participant['id']}", headers={"cookie": cookie})
    link = f"/web/pathways/{pathway}/documents/{seq}"
    assert link in page.text and "Dokument (PDF)" in page.text

    async def projected() -> httpx.Response | None:
        answer = await web.get(link, headers={"cookie": cookie})
        return answer if answer.status_code == 200 else None

    pdf = await eventually(projected)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
