"""Referrals to institutions outside the system from the web (issue 16; httpx on the real app):
made on the participant's page with the participant's consent, listed on the referrals page,
the institution's answer recorded once; a refusal keeps what was typed; in Polish."""

from __future__ import annotations

import httpx

from tests.support import Staff, person
from tests.web.conftest import People
from tests.web.test_session import signed_in

REFERRAL = {"institution": "Powiatowy Urząd Pracy w Radomiu", "referred_on": "2026-11-16",
            "reason": "gotowy do zatrudnienia wspieranego"}  # fmt: skip


async def test_a_caseworker_refers_outside_and_records_the_institutions_answer(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    cookie, token = await signed_in(web, people.caseworker, people.password)
    headers = {"cookie": cookie}
    form = f"/web/participants/{participant['id']}/external-referrals"
    shown = await web.get(f"/web/participants/{participant['id']}", headers=headers)
    assert form in shown.text and "Zatrudnienie wspierane poza systemem" in shown.text

    # Without the consent: refused on the page, with what was typed kept.
    refused = await web.post(form, data={**REFERRAL, "csrf_token": token}, headers=headers)
    assert refused.status_code == 422
    assert "Powiatowy Urząd Pracy w Radomiu" in refused.text and 'role="alert"' in refused.text
    assert (await api.get("/referrals", headers=staff.caseworker)).json()["external"] == []
    # Without the institution: the field says so.
    empty = {**REFERRAL, "institution": "", "consent_transfer": "on", "csrf_token": token}
    missing = await web.post(form, data=empty, headers=headers)
    assert missing.status_code == 422 and 'aria-invalid="true"' in missing.text

    made = await web.post(
        form, data={**REFERRAL, "consent_transfer": "on", "csrf_token": token}, headers=headers
    )
    assert made.status_code == 303 and made.headers["location"].startswith("/web/referrals")
    [external] = (await api.get("/referrals", headers=staff.caseworker)).json()["external"]
    assert (external["institution"], external["outcome"]) == (REFERRAL["institution"], None)
    listed = await web.get("/web/referrals?saved=external", headers=headers)
    assert "Skierowanie zapisano." in listed.text and REFERRAL["reason"] in listed.text

    outcome = f"/web/referrals/external/{external['id']}/outcome"
    answer = {"outcome": "accepted", "outcome_on": "2026-11-30", "note": "od 1 grudnia",
              "csrf_token": token}  # fmt: skip
    bad = await web.post(outcome, data={**answer, "outcome": "maybe"}, headers=headers)
    assert bad.status_code == 422 and 'value="2026-11-30"' in bad.text
    assert (await web.post(outcome, data=answer, headers=headers)).status_code == 303
    # The same answer again changes nothing; another one is refused on the page.
    assert (await web.post(outcome, data=answer, headers=headers)).status_code == 303
    other = await web.post(outcome, data={**answer, "outcome": "declined"}, headers=headers)
    assert other.status_code == 409
    [external] = (await api.get("/referrals", headers=staff.caseworker)).json()["external"]
    assert (external["outcome"], external["outcome_on"], external["note"]) == (
        "accepted", "2026-11-30", "od 1 grudnia",
    )  # fmt: skip
    final = await web.get("/web/referrals", headers=headers)
    assert "przyjęte" in final.text and "od 1 grudnia" in final.text


async def test_another_units_caseworker_can_neither_refer_nor_answer(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    made = await api.post(
        "/referrals/external",
        json={**REFERRAL, "participant_id": participant["id"], "consent_transfer": True},
        headers=staff.caseworker,
    )
    assert made.status_code == 201, made.text
    cookie, token = await signed_in(web, people.stranger, people.password)
    headers = {"cookie": cookie}
    refer = await web.post(
        f"/web/participants/{participant['id']}/external-referrals",
        data={**REFERRAL, "consent_transfer": "on", "csrf_token": token},
        headers=headers,
    )
    assert refer.status_code == 404
    answer = await web.post(
        f"/web/referrals/external/{made.json()['id']}/outcome",
        data={"outcome": "declined", "outcome_on": "2026-11-30", "csrf_token": token},
        headers=headers,
    )
    assert answer.status_code == 404
    theirs = await web.get("/web/referrals", headers=headers)
    assert REFERRAL["institution"] not in theirs.text
