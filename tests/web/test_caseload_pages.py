"""The pages of issue 16 (httpx on the real app): "my caseload" with load against capacity, the
supervisor's hand-over, referrals with the head's decision, the waiting list; in Polish."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from domain.calendar import local_date
from tests.support import PASSWORD, Staff, login, person
from tests.web.conftest import People
from tests.web.test_session import signed_in


async def test_a_supervisor_hands_a_caseload_over_on_the_page_and_each_sees_their_cases(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    policy = await api.put(
        f"/units/{staff.unit_code}/caseload-policy",
        json={"max_open_cases": 5},
        headers=staff.admin,
    )
    assert policy.status_code == 200, policy.text
    username = f"cw-{uuid.uuid4().hex[:8]}"
    body = {"username": username, "password": PASSWORD, "role": "caseworker"}
    made = await api.post(
        "/users", json={**body, "unit_code": staff.unit_code}, headers=staff.admin
    )
    assert made.status_code == 201, made.text
    for _ in range(2):
        participant = (
            await api.post("/participants", json=person(), headers=staff.caseworker)
        ).json()
        opened = await api.post(
            f"/participants/{participant['id']}/pathways",
            json={"programme": "kis", "start_date": local_date(datetime.now(UTC)).isoformat()},
            headers=staff.caseworker,
        )
        assert opened.status_code == 201, opened.text

    cookie, _ = await signed_in(web, people.caseworker, people.password)
    mine = await web.get("/web/caseload", headers={"cookie": cookie})
    assert mine.status_code == 200
    assert "Otwarte sprawy: 2 (limit: 5)" in mine.text

    cookie, token = await signed_in(web, people.supervisor, people.password)
    form = await web.get("/web/caseload/handover", headers={"cookie": cookie})
    assert form.status_code == 200 and username in form.text
    leaving = (await api.get("/caseload", headers=staff.caseworker)).json()["load"]
    data = {
        "csrf_token": token,
        "idempotency_key": str(uuid.uuid4()),
        "from_caseworker": leaving["caseworker_id"],
        "to": made.json()["id"],
    }
    done = await web.post("/web/caseload/handover", data=data, headers={"cookie": cookie})
    assert done.status_code == 200, done.text
    assert "Przekazano spraw: 2; pozostało u dotychczasowego pracownika: 0." in done.text
    empty = await web.post(
        "/web/caseload/handover", data={**data, "idempotency_key": ""}, headers={"cookie": cookie}
    )
    assert "Przekazano spraw: 0" in empty.text  # nothing left to hand over

    their, _ = await signed_in(web, username, PASSWORD)
    taken = await web.get("/web/caseload", headers={"cookie": their})
    assert "Otwarte sprawy: 2 (limit: 5)" in taken.text


async def test_referrals_and_the_waiting_list_pages(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    cookie, token = await signed_in(web, people.supervisor, people.password)
    for path in ("/web/referrals", "/web/waiting-list?programme=kis"):
        answer = await web.get(path, headers={"cookie": cookie})
        assert answer.status_code == 200, path
    assert (
        "Brak skierowań przychodzących."
        in (await web.get("/web/referrals", headers={"cookie": cookie})).text
    )
    unknown = await web.post(
        f"/web/referrals/{uuid.uuid4()}/decline",
        data={"csrf_token": token, "reason": "brak miejsc"},
        headers={"cookie": cookie},
    )
    assert unknown.status_code == 404
    waiting = await web.get("/web/waiting-list?programme=cis", headers={"cookie": cookie})
    assert "Nikt nie oczekuje." in waiting.text


async def test_a_supervisor_records_a_leave_on_the_hand_over_page(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    cookie, token = await signed_in(web, people.supervisor, people.password)
    me = (await api.get("/caseload", headers=staff.caseworker)).json()["load"]["caseworker_id"]
    first = local_date(datetime.now(UTC)) + timedelta(days=10)
    last = (first + timedelta(days=13)).isoformat()
    form = {"csrf_token": token, "caseworker_id": me, "first_day": first.isoformat()}
    wrong = await web.post(
        "/web/caseload/leaves",
        data={**form, "last_day": (first - timedelta(days=1)).isoformat()},
        headers={"cookie": cookie},
    )
    assert wrong.status_code == 422
    assert "ostatni nie wcześniej niż pierwszy" in wrong.text
    done = await web.post(
        "/web/caseload/leaves", data={**form, "last_day": last}, headers={"cookie": cookie}
    )
    assert done.status_code == 303, done.text
    listed = (await api.get("/caseload/leaves", headers=staff.supervisor)).json()["items"]
    assert [(i["caseworker_id"], i["last_day"]) for i in listed] == [(me, last)]


async def test_a_supervisor_gives_one_case_and_names_a_deputy_on_a_colleagues_caseload(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    username = f"cw-{uuid.uuid4().hex[:8]}"
    body = {"username": username, "password": PASSWORD, "role": "caseworker"}
    made = await api.post(
        "/users", json={**body, "unit_code": staff.unit_code}, headers=staff.admin
    )
    assert made.status_code == 201, made.text
    colleague = made.json()["id"]
    pathways = []
    for _ in range(2):
        participant = (
            await api.post("/participants", json=person(), headers=staff.caseworker)
        ).json()
        opened = await api.post(
            f"/participants/{participant['id']}/pathways",
            json={"programme": "kis", "start_date": local_date(datetime.now(UTC)).isoformat()},
            headers=staff.caseworker,
        )
        pathways.append(opened.json()["id"])
    holder = (await api.get("/caseload", headers=staff.caseworker)).json()["load"]["caseworker_id"]

    cookie, token = await signed_in(web, people.supervisor, people.password)
    shown = await web.get(f"/web/caseload?caseworker={holder}", headers={"cookie": cookie})
    assert shown.status_code == 200
    assert f"Sprawy pracownika {people.caseworker}" in shown.text
    named = await web.post(
        f"/web/caseload/cases/{pathways[0]}/deputy",
        data={"csrf_token": token, "deputy": colleague, "holder": holder},
        headers={"cookie": cookie},
    )
    assert named.status_code == 303, named.text
    given = await web.post(
        f"/web/caseload/cases/{pathways[1]}/holder",
        data={"csrf_token": token, "holder": colleague, "idempotency_key": str(uuid.uuid4())},
        headers={"cookie": cookie},
    )
    assert given.status_code == 303, given.text
    assert given.headers["location"] == f"/web/caseload?caseworker={holder}"

    theirs = (await api.get("/caseload", headers=await login(api, username))).json()
    assert [c["pathway_id"] for c in theirs["cases"]] == [pathways[1]]
    mine = (await api.get("/caseload", headers=staff.caseworker)).json()["cases"]
    assert [(c["pathway_id"], c["deputy_id"]) for c in mine] == [(pathways[0], colleague)]
    as_caseworker, _ = await signed_in(web, people.caseworker, people.password)
    own = await web.get(f"/web/caseload?caseworker={colleague}", headers={"cookie": as_caseworker})
    assert own.status_code == 404  # a caseworker sees only their own
