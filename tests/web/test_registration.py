"""Registration refused: every message in Polish beside its field, nothing typed lost (httpx)."""

from __future__ import annotations

import httpx

from tests.support import person
from tests.web.conftest import People
from tests.web.test_session import signed_in


async def test_a_refused_registration_keeps_what_was_typed(
    web: httpx.AsyncClient, people: People
) -> None:
    cookie, token = await signed_in(web, people.caseworker, people.password)
    typed = {
        "csrf_token": token,
        "first_name": "Zofia",
        "last_name": "",
        "pesel": person()["pesel"],
        "phone": "12",
        "email": "zofia@example.org",
        "consent_email": "on",
        "categories": ["homeless", "refugee"],
    }
    answer = await web.post("/web/participants", data=typed, headers={"cookie": cookie})
    assert answer.status_code == 422
    page = answer.text
    assert "Popraw zaznaczone pola. Nic z tego, co wpisano, nie zostało utracone." in page
    assert 'id="last_name-error">To pole jest wymagane.' in page
    assert "Telefon: od 9 do 15 cyfr" in page
    for value in ("Zofia", typed["pesel"], "zofia@example.org", 'value="12"'):
        assert value in page
    assert 'id="consent_email" name="consent_email" type="checkbox" checked' in page
    assert 'value="homeless" type="checkbox" checked' in page
    assert 'value="refugee" type="checkbox" checked' in page
    assert 'value="disabled" type="checkbox">' in page

    fixed = {**typed, "last_name": "Nowa", "phone": "600 100 200"}
    first = await web.post("/web/participants", data=fixed, headers={"cookie": cookie})
    assert first.status_code == 303
    again = await web.post("/web/participants", data=fixed, headers={"cookie": cookie})
    assert again.status_code == 409
    assert "Uczestnik z tym numerem PESEL jest już zarejestrowany w jednostce." in again.text
    assert 'value="Nowa"' in again.text

    wrong = await web.post(
        "/web/participants",
        data={**fixed, "pesel": typed["pesel"][:10] + str((int(typed["pesel"][10]) + 1) % 10)},
        headers={"cookie": cookie},
    )
    assert wrong.status_code == 422
    assert 'id="pesel-error">Cyfra kontrolna PESEL się nie zgadza.' in wrong.text


async def test_rights_outside_the_act_are_recorded_at_registration_and_later(
    web: httpx.AsyncClient, people: People
) -> None:
    cookie, token = await signed_in(web, people.caseworker, people.password)
    form = {
        "csrf_token": token,
        "first_name": "Jan",
        "last_name": "Rencista",
        "pesel": person()["pesel"],
        "exclusions": ["incapacity_pension"],
    }
    made = await web.post("/web/participants", data=form, headers={"cookie": cookie})
    assert made.status_code == 303, made.text
    where = made.headers["location"]
    shown = await web.get(where, headers={"cookie": cookie})
    assert "prawo do renty z tytułu niezdolności do pracy" in shown.text
    checked = 'name="exclusions" value="incapacity_pension" type="checkbox" checked'
    assert f'id="ex-incapacity_pension" {checked}' in shown.text
    changed = await web.post(
        f"{where}/exclusions",
        data={"csrf_token": token, "exclusions": ["old_age_pension"]},
        headers={"cookie": cookie},
    )
    assert changed.status_code == 303
    after = await web.get(changed.headers["location"], headers={"cookie": cookie})
    assert "prawo do emerytury" in after.text
    assert "Zapisano uprawnienia wyłączające" in after.text
    ahead = await web.post(
        f"{where}/exclusions",
        data={"csrf_token": token, "exclusions": [], "occurred_on": "2999-01-01"},
        headers={"cookie": cookie},
    )
    assert ahead.status_code == 422
    assert '<details id="exclusions" open>' in ahead.text
