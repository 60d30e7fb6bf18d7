"""Registering and finding participants (DESIGN.md §4; domain.md §7.1 PESEL)."""

from __future__ import annotations

import httpx

from tests.support import Staff, person


async def test_registration_derives_the_birth_date_from_the_pesel(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    answer = await api.post(
        "/participants", json=person(pesel="44051401359"), headers=staff.caseworker
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["birth_date"] == "1944-05-14"
    assert body["categories"] == ["long_term_unemployed"]
    assert body["pathway"] is None


async def test_a_bad_pesel_is_422_invalid_pesel(api: httpx.AsyncClient, staff: Staff) -> None:
    for bad in ("44051401358", "4405140135", "44133101352", "abcdefghijk"):
        answer = await api.post("/participants", json=person(pesel=bad), headers=staff.caseworker)
        assert answer.status_code == 422, bad
        assert answer.json()["error"]["code"] in {"invalid_pesel"}, bad


async def test_the_same_pesel_twice_in_a_unit_is_409_but_another_unit_may_register_it(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = person()
    first = await api.post("/participants", json=body, headers=staff.caseworker)
    again = await api.post("/participants", json=body, headers=staff.caseworker)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_participant"
    assert again.json()["error"]["details"]["participant_id"] == first.json()["id"]
    elsewhere = await api.post("/participants", json=body, headers=staff.stranger)
    assert elsewhere.status_code == 201


async def test_people_without_pesel_register_with_a_birth_date(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    ok = await api.post(
        "/participants",
        headers=staff.caseworker,
        json=person(pesel=None, birth_date="1990-03-04", categories=["refugee"]),
    )
    assert ok.status_code == 201
    assert ok.json()["pesel"] is None
    neither = await api.post("/participants", json=person(pesel=None), headers=staff.caseworker)
    assert neither.status_code == 422
    assert neither.json()["error"]["code"] == "invalid_input"


async def test_unknown_fields_and_consent_without_contact_are_422(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    extra = await api.post("/participants", json=person(nickname="J"), headers=staff.caseworker)
    assert extra.status_code == 422
    no_phone = await api.post(
        "/participants", json=person(phone=None, consent_sms=True), headers=staff.caseworker
    )
    assert no_phone.status_code == 422


async def test_another_units_participant_is_404(api: httpx.AsyncClient, staff: Staff) -> None:
    created = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    mine = await api.get(f"/participants/{created['id']}", headers=staff.supervisor)
    assert mine.status_code == 200
    theirs = await api.get(f"/participants/{created['id']}", headers=staff.stranger)
    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "participant_not_found"


async def test_the_list_is_scoped_searchable_and_paginated(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    names = [f"Nowak-{i:02d}" for i in range(7)]
    for name in names:
        await api.post("/participants", json=person(last_name=name), headers=staff.caseworker)
    await api.post("/participants", json=person(last_name="Nowak-xx"), headers=staff.stranger)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3, "q": "nowak"}
        if cursor:
            params["cursor"] = cursor
        page = (await api.get("/participants", params=params, headers=staff.caseworker)).json()
        seen += [item["last_name"] for item in page["items"]]
        assert "categories" not in page["items"][0]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == names
    bad = await api.get("/participants", params={"cursor": "garbage"}, headers=staff.caseworker)
    assert bad.status_code == 422


async def test_search_treats_wildcards_as_plain_characters(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    await api.post("/participants", json=person(last_name="Zieliński"), headers=staff.caseworker)
    await api.post(
        "/participants", json=person(last_name="Wiśniewska_Nowak"), headers=staff.caseworker
    )
    for term, expected in (("_", ["Wiśniewska_Nowak"]), ("%", []), ("zieliń", ["Zieliński"])):
        page = await api.get("/participants", params={"q": term}, headers=staff.caseworker)
        assert [i["last_name"] for i in page.json()["items"]] == expected, term
