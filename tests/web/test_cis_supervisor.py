"""A head of centre in chromium: CIS admission, trial, and an extension past the legal limit,
refused with the rulebook's numbers in Polish, and in English as the domain words it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import Page, expect

from domain.calendar import add_months, local_date
from tests.support import Staff, person
from tests.web.conftest import People, screenshot
from tests.web.test_caseworker_journey import log_in, take_step


async def test_a_supervisor_extends_a_cis_participation_within_the_limit_only(
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff
) -> None:
    today = local_date(datetime.now(UTC))
    referred = add_months(today, -3)
    body = person()
    participant = (await api.post("/participants", json=body, headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "cis", "start_date": referred.isoformat()},
        headers=staff.caseworker,
    )
    assert opened.status_code == 201, opened.text

    await log_in(page, people.supervisor, people.password)
    await page.goto(f"/web/participants/{participant['id']}")
    stage = page.locator("#stage")
    await expect(stage).to_have_text("CIS: skierowany")
    await take_step(
        page,
        "Podpisanie IPZS (przyjęcie do CIS)",
        {"Data zdarzenia": (referred + timedelta(days=1)).isoformat()},
    )
    await expect(stage).to_have_text("CIS: okres próbny")
    await take_step(
        page,
        "Zaliczenie okresu próbnego",
        {"Data zdarzenia": (referred + timedelta(days=20)).isoformat()},
    )
    await expect(stage).to_have_text("CIS: okres zasadniczy")

    extension = {"Liczba miesięcy": "13", "Uzasadnienie": "potrzebny dłuższy czas reintegracji"}
    await take_step(page, "Przedłużenie uczestnictwa", extension)
    refusal = page.locator("#refusal-extend")
    await expect(refusal).to_contain_text(
        "Przedłużenia mogą łącznie wynieść najwyżej 12 mies. (przyznano dotąd: 0)."
    )
    form = page.locator("#action-extend")
    await expect(form.get_by_label("Liczba miesięcy")).to_have_value("13")
    await expect(form.get_by_label("Uzasadnienie")).to_have_value(
        "potrzebny dłuższy czas reintegracji"
    )
    await screenshot(page, "10-cis-extension-refused")

    # In English the reason is the domain's own message.
    await page.get_by_role("link", name="EN", exact=True).click()
    await take_step(page, "Participation extended", {"Months": "13", "Justification": "longer"})
    await expect(page.locator("#refusal-extend")).to_contain_text(
        "Extensions may add at most 12 months"
    )
    await take_step(page, "Participation extended", {"Months": "6", "Justification": "longer"})
    await expect(stage).to_have_text("CIS: extended")
