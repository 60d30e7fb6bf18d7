"""An instructor records a whole class's attendance from the week view, in chromium: one list,
one request; the person whose day was not recorded is named with the reason; a second list is
a correction."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import units
from db.session import unit_of_work
from domain.roles import Role
from services.credentials import hash_password
from tests.api.test_group_week import cis_participant, group_with, weekly_workshop
from tests.support import PASSWORD, Staff
from tests.web.conftest import People, screenshot
from tests.web.test_accessibility import _NARROW as NARROW
from tests.web.test_accessibility import _check as check
from tests.web.test_caseworker_journey import log_in
from tests.web.test_session import signed_in


async def test_an_instructor_records_a_class_from_the_week_view(
    page: Page, api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    name = f"instructor-{uuid.uuid4().hex[:8]}"
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        user = await units.create_user(session, name, hash_password(PASSWORD), Role.INSTRUCTOR,
                                       unit)  # fmt: skip
        instructor_id = str(user.id)
    members = [await cis_participant(api, staff) for _ in range(3)]
    group = await group_with(api, staff, [p for p, _ in members])
    await weekly_workshop(api, staff, group)
    lead = await api.put(f"/groups/{group}/instructor", json={"instructor_id": instructor_id},
                         headers=staff.caseworker)  # fmt: skip
    assert lead.status_code == 200, lead.text
    names = []
    for pid, _ in members:
        who = (await api.get(f"/participants/{pid}", headers=staff.caseworker)).json()
        names.append(f"{who['first_name']} {who['last_name']}")

    # The instructor logs in and lands on the week (no tasks, no list of participants).
    await page.goto("/web/")
    await page.get_by_label("Nazwa użytkownika").fill(name)
    await page.get_by_label("Hasło").fill(PASSWORD)
    await page.get_by_role("button", name="Zaloguj").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Plan zajęć")
    await expect(page.get_by_role("link", name="Uczestnicy")).to_have_count(0)
    await page.goto("/web/timetable?week=2026-11-02")
    await expect(page.get_by_role("heading", name="poniedziałek 02.11.2026")).to_be_visible()
    await screenshot(page, "14-timetable-week")
    await page.get_by_role("link", name="Obecność: Gastronomia, 02.11.2026").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Gastronomia")

    first, second, third = (page.get_by_role("group", name=n) for n in names)
    await expect(first.get_by_label("obecny")).to_be_checked()  # present by default
    await first.get_by_label("Godziny").fill("5,5")
    await second.get_by_label("choroba").check()
    await third.get_by_label("dzień wolny").check()  # the head's act: an instructor may not
    await screenshot(page, "14-attendance-form")
    await page.get_by_role("button", name="Zapisz listę").click()
    result = page.locator("#result")
    await expect(result).to_contain_text("Zapisano: 2")
    await expect(page.locator("#not-recorded")).to_contain_text(
        f"{names[2]}: Twoja rola nie pozwala na ten krok."
    )
    await screenshot(page, "14-attendance-saved")
    # The page shows the standing marks; a second list is a correction.
    await expect(page.get_by_text("korektą nr 1")).to_be_visible()
    await expect(second.locator("legend")).to_contain_text("choroba")
    await expect(third.get_by_label("dzień wolny")).to_be_checked()  # as sent, not recorded

    here = (await api.get("/attendance", params={"month": "2026-11"},
                          headers=staff.caseworker)).json()  # fmt: skip
    assert {(r["participant_id"], r["mark"], r["hours"], r["absence"]) for r in here} == {
        (members[0][0], "present", "5.50", None),
        (members[1][0], "absent", None, "sick"),
    }


async def test_the_week_and_the_form_are_labelled_and_keyboard_ready(
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff
) -> None:
    members = [await cis_participant(api, staff) for _ in range(2)]
    group = await group_with(api, staff, [p for p, _ in members])
    classes = await weekly_workshop(api, staff, group)
    await page.set_viewport_size(NARROW)
    await log_in(page, people.caseworker, people.password)
    for path in (
        "/web/timetable?week=2026-11-02",
        f"/web/classes/{classes[0]}/attendance?day=2026-11-02",
    ):
        await check(page, path)
    await screenshot(page, "14-attendance-form-1024px")


async def test_the_pages_answer_every_role_as_the_api_would(
    web: httpx.AsyncClient, api: httpx.AsyncClient, staff: Staff, people: People
) -> None:
    group = await group_with(api, staff, [])
    classes = await weekly_workshop(api, staff, group)
    sessions = {"anonymous": ("", "")}
    for role in ("caseworker", "supervisor", "admin", "stranger"):
        sessions[role] = await signed_in(web, getattr(people, role), people.password)
    form = f"/web/classes/{classes[0]}/attendance?day=2026-11-02"
    rows: list[tuple[str, str, dict[str, str] | None, tuple[int, ...]]] = [
        ("GET", "/web/timetable", None, (303, 200, 200, 403, 200)),
        ("GET", form, None, (303, 200, 200, 403, 404)),
        ("POST", form, {}, (403, 422, 422, 403, 404)),  # nobody marked
    ]
    wrong = []
    for method, path, data, expected in rows:
        for role, status in zip(("anonymous", "caseworker", "supervisor", "admin", "stranger"),
                                expected, strict=True):  # fmt: skip
            cookie, token = sessions[role]
            sent = {**data, "csrf_token": token} if data is not None else None
            answer = await web.request(method, path, data=sent, headers={"cookie": cookie})
            if answer.status_code != status:
                wrong.append(f"{method} {path} as {role}: {answer.status_code}")
    assert wrong == []
