"""Appointments from a participant's page in chromium: one refused in the past, one set, then
cancelled, through the reminders' services; the reminders table is there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import Page, expect

from domain.calendar import local_date
from tests.support import Staff, person
from tests.web.conftest import People, screenshot
from tests.web.test_caseworker_journey import log_in


async def test_a_caseworker_sets_and_cancels_an_appointment(
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff
) -> None:
    today = local_date(datetime.now(UTC))
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": (today - timedelta(days=10)).isoformat()},
        headers=staff.caseworker,
    )
    assert opened.status_code == 201, opened.text
    await log_in(page, people.caseworker, people.password)
    await page.goto(f"/web/participants/{participant['id']}")
    panel = page.locator("#appointments")
    await expect(panel).to_contain_text("Brak zaplanowanych zajęć.")
    await expect(panel.locator("#messages, p.muted").last).to_be_visible()

    async def schedule(day: str, at: str, place: str) -> None:
        form = page.locator("#set-appointment")
        if await form.get_attribute("open") is None:
            await form.locator("summary").click()
        await form.get_by_label("Dzień").fill(day)
        await form.get_by_label("Godzina").fill(at)
        await form.get_by_label("Rodzaj").select_option("workshop")
        await form.get_by_label("Miejsce").fill(place)
        await form.get_by_role("button", name="Zaplanuj").click()

    yesterday = (today - timedelta(days=1)).isoformat()
    await schedule(yesterday, "10:00", "Sala 3")
    await expect(page.locator("#refusal-appointment")).to_contain_text(
        "Zajęcia muszą się zaczynać w przyszłości."
    )
    await expect(page.get_by_label("Miejsce")).to_have_value("Sala 3")
    await expect(page.get_by_label("Dzień")).to_have_value(yesterday)

    tomorrow = today + timedelta(days=1)
    await schedule(tomorrow.isoformat(), "10:00", "Sala 3")
    await expect(page.locator(".notice")).to_contain_text("Zaplanowano zajęcia")
    planned = page.locator("#planned")
    await expect(planned).to_contain_text(f"{tomorrow:%d.%m.%Y} 10:00")
    await expect(planned).to_contain_text("warsztat")
    await screenshot(page, "11-appointments")
    await planned.get_by_role("button", name="Odwołaj").click()
    await expect(page.locator("#planned")).to_contain_text("odwołane")
