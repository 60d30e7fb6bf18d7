"""What a keyboard or screen-reader user needs, checked on every main page in chromium."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, Page, ViewportSize, expect

from tests.support import Staff, person
from tests.web.conftest import People, screenshot
from tests.web.test_caseworker_journey import log_in, take_step

# Form controls whose accessible name is empty, images without a name, duplicate ids.
_PROBLEMS = """
() => {
  const problems = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push('unlabelled ' + el.outerHTML.slice(0, 80));
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.getAttribute('role') !== 'img' || !svg.querySelector('title')) {
      problems.push('svg without a name');
    }
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  for (const id of new Set(ids)) {
    if (ids.filter(x => x === id).length > 1) problems.push('duplicate id ' + id);
  }
  if (!document.documentElement.lang) problems.push('no lang');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not one h1');
  if (!document.querySelector('main#main')) problems.push('no main landmark');
  if (!document.querySelector('[aria-live]')) problems.push('no live region');
  return problems;
}
"""


# An old office PC's screen; nothing may need scrolling sideways.
_NARROW = ViewportSize(width=1024, height=768)
_SIDEWAYS = "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


async def _check(page: Page, path: str) -> None:
    answer = await page.goto(path)
    assert answer is not None and answer.status == 200, path
    assert await page.evaluate(_PROBLEMS) == [], path
    assert await page.evaluate(_SIDEWAYS) <= 0, path
    # A page's title names it in words (a screen reader reads it first), never markup.
    title = await page.title()
    assert title.strip() and "<" not in title, (path, title)
    # The first Tab reaches the skip link, which takes the focus to the content.
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Przejdź do treści")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()
    await page.keyboard.press("Enter")
    await expect(page.locator("main#main")).to_be_focused()


async def test_main_pages_are_labelled_and_keyboard_ready(
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff
) -> None:
    answer = await api.post("/participants", json=person(), headers=staff.caseworker)
    participant = answer.json()["id"]
    await api.post(
        f"/participants/{participant}/pathways",
        json={"programme": "kis", "start_date": "2026-06-01"},
        headers=staff.caseworker,
    )
    # A referral outside the system waiting for its answer: the referrals page shows its form.
    referral = {"participant_id": participant, "institution": "PUP", "referred_on": "2026-06-02",
                "reason": "zatrudnienie wspierane", "consent_transfer": True}  # fmt: skip
    made = await api.post("/referrals/external", json=referral, headers=staff.caseworker)
    assert made.status_code == 201, made.text
    await page.set_viewport_size(_NARROW)
    await page.goto("/web/login")
    assert await page.evaluate(_PROBLEMS) == []
    await log_in(page, people.supervisor, people.password)
    for path in (
        "/web/",
        "/web/participants",
        "/web/participants/new",
        f"/web/participants/{participant}",
        "/web/dashboard",
        "/web/payroll?month=2026-10",
        "/web/caseload",
        "/web/caseload/handover",
        "/web/referrals",
        "/web/waiting-list",
        "/web/timetable?week=2026-11-02",
        "/web/my-classes?day=2026-11-02",
    ):
        await _check(page, path)
    await page.goto(f"/web/participants/{participant}")
    await screenshot(page, "09-participant-1024px")
    await page.goto("/web/referrals")
    await screenshot(page, "10-referrals-narrow")


async def test_the_content_policy_allows_only_this_sites_scripts_and_styles(
    page: Page, people: People
) -> None:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    await log_in(page, people.caseworker, people.password)
    answer = await page.goto("/web/participants/new")
    assert answer is not None
    policy = await answer.header_value("content-security-policy")
    assert policy is not None and "script-src 'self'" in policy and "unsafe" not in policy
    await page.get_by_label("PESEL", exact=True).press_sequentially("4405140135")
    await expect(page.locator("#pesel-feedback")).to_have_text("Wpisano 10 z 11 cyfr.")
    assert [text for text in refused if "Content Security Policy" in text] == []


async def test_steps_work_without_javascript(
    browser: Browser, site: str, people: People, api: httpx.AsyncClient, staff: Staff
) -> None:
    answer = await api.post("/participants", json=person(), headers=staff.caseworker)
    participant = answer.json()["id"]
    await api.post(
        f"/participants/{participant}/pathways",
        json={"programme": "kis", "start_date": "2026-06-01"},
        headers=staff.caseworker,
    )
    context = await browser.new_context(base_url=site, java_script_enabled=False)
    try:
        page = await context.new_page()
        await log_in(page, people.caseworker, people.password)
        await page.goto(f"/web/participants/{participant}")
        await take_step(page, "Diagnoza potrzeb i predyspozycji", {"Data zdarzenia": "2026-05-01"})
        await expect(page.locator("#refusal-record_diagnosis")).to_contain_text(
            "nie może być wcześniejsza niż data poprzedniego kroku (01.06.2026)"
        )
        await take_step(page, "Diagnoza potrzeb i predyspozycji", {"Data zdarzenia": "2026-06-02"})
        await expect(page.locator("#stage")).to_have_text("KIS: po diagnozie")
    finally:
        await context.close()
