"""A supervisor in Debian's chromium: the KPIs and the stage funnel as SVG, overdue work by
caseworker, the annual report's exports; English on request; a caseworker is kept out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from playwright.async_api import Page, expect

from domain.calendar import add_months, local_date
from tests.support import Staff, eventually, person
from tests.web.conftest import People, screenshot
from tests.web.test_caseworker_journey import log_in


async def _kis(api: httpx.AsyncClient, staff: Staff, steps: list[dict[str, Any]]) -> str:
    """A participant with a KIS pathway opened seven months ago and these steps taken."""
    today = local_date(datetime.now(UTC))
    answer = await api.post("/participants", json=person(), headers=staff.caseworker)
    participant = answer.json()["id"]
    opened = await api.post(
        f"/participants/{participant}/pathways",
        json={"programme": "kis", "start_date": add_months(today, -7).isoformat()},
        headers=staff.caseworker,
    )
    pathway = opened.json()["id"]
    for step in steps:
        taken = await api.post(f"/pathways/{pathway}/actions", json=step, headers=staff.caseworker)
        assert taken.status_code == 200, taken.text
    return str(participant)


async def test_a_supervisor_sees_the_kpis_funnel_overdue_work_and_exports(
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff
) -> None:
    today = local_date(datetime.now(UTC))
    start = add_months(today, -7)

    def day(n: int) -> str:
        return (start + timedelta(days=n)).isoformat()

    await _kis(api, staff, [])  # waits in intake
    await _kis(  # a contract review left undone for months: overdue
        api,
        staff,
        [
            {"type": "record_diagnosis", "occurred_on": day(1)},
            {"type": "sign_social_contract", "occurred_on": day(2), "review_on": day(20)},
        ],
    )
    await _kis(  # a graduate: an exit in the period
        api,
        staff,
        [
            {"type": "record_diagnosis", "occurred_on": day(1)},
            {"type": "sign_social_contract", "occurred_on": day(2)},
            {"type": "mark_contract_fulfilled"},
            {"type": "complete_kis"},
        ],
    )

    # The three entered seven months ago: last year until August, so the period is from then
    # (the page shows this year so far unless asked otherwise).
    period = {"from": start.isoformat(), "to": today.isoformat()}

    async def reported() -> bool:
        answer = await api.get("/reports/kpis", params=period, headers=staff.supervisor)
        report = answer.json()
        stages = {row["stage"]: row["count"] for row in report["participants_by_stage"]}
        return stages.get("kis_intake") == 1 and report["exits_by_kind"].get("kis_completed") == 1

    await eventually(reported)

    await log_in(page, people.supervisor, people.password)
    await page.get_by_role("link", name="Pulpit kierownika").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Pulpit kierownika")
    await expect(page.get_by_label("Od", exact=True)).to_have_value(f"{today.year}-01-01")
    await page.get_by_label("Od", exact=True).fill(period["from"])
    await page.get_by_role("button", name="Pokaż").click()
    await expect(page).to_have_url(f"/web/dashboard?from={period['from']}&to={period['to']}")
    funnel = page.locator("svg#funnel")
    await expect(funnel).to_have_attribute("role", "img")
    await expect(funnel.locator("desc")).to_contain_text("KIS: przyjęcie: 1")
    await expect(funnel.locator("desc")).to_contain_text("KIS: zakończony: 1")
    await expect(page.locator("svg#exits desc")).to_contain_text("zakończenie KIS: 1")
    await expect(page.locator("svg#effectiveness desc")).to_contain_text(
        "Efektywność społeczna: 100,0 % (1/1)"
    )
    tiles = page.locator("#kpi-tiles")
    await expect(tiles.locator("div", has_text="Wejścia do KIS")).to_contain_text("3")
    await expect(tiles.locator("div", has_text="Zaległe terminy")).to_contain_text("1")
    overdue = page.locator("#overdue-by-caseworker")
    await expect(overdue.get_by_role("rowheader", name=people.caseworker)).to_be_visible()
    await expect(overdue).to_contain_text("przegląd kontraktu socjalnego")
    await screenshot(page, "07-dashboard-supervisor")

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name=f"Pobierz CSV {today.year}").click()
    download = await waiting.value
    assert download.suggested_filename == f"annual-report-{today.year}-{staff.unit_code}.csv"

    await page.get_by_role("link", name="EN").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Supervisor dashboard")
    await expect(page.locator("svg#funnel desc")).to_contain_text("KIS: intake: 1")
    await screenshot(page, "08-dashboard-english")


async def test_a_caseworker_has_no_dashboard(page: Page, people: People) -> None:
    await log_in(page, people.caseworker, people.password)
    await expect(page.get_by_role("link", name="Pulpit kierownika")).to_have_count(0)
    answer = await page.goto("/web/dashboard")
    assert answer is not None and answer.status == 403
    await expect(page.get_by_role("alert")).to_contain_text("Twoja rola nie pozwala")
