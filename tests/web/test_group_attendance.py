"""An instructor records a whole class's attendance from "my classes today" and from the week
view, in chromium: one list, one request; the person whose day was not recorded is named with the
reason; a second list is a correction; the day's page says which lists were sent. The week is
seen by group, by staff member and by room."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import units
from db.session import unit_of_work
from domain.roles import Role
from tests.api.test_group_week import cis_participant, group_with, weekly_workshop
from tests.support import PASSWORD, PASSWORD_HASH, Staff
from tests.web.conftest import People, screenshot
from tests.web.test_accessibility import _NARROW as NARROW
from tests.web.test_accessibility import _check as check
from tests.web.test_caseworker_journey import log_in
from tests.web.test_session import signed_in


async def instructor(
    sessions: async_sessionmaker[AsyncSession], staff: Staff
) -> tuple[str, str]:
    """A new instructor of the staff fixture's unit: (username, user id)."""
    name = f"instructor-{uuid.uuid4().hex[:8]}"
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        user = await units.create_user(session, name, PASSWORD_HASH, Role.INSTRUCTOR,
                                       unit)  # fmt: skip
        return name, str(user.id)


async def log_in_instructor(page: Page, username: str) -> None:
    """Log in through the form; an instructor lands on their classes today."""
    await page.goto("/web/")
    await page.get_by_label("Nazwa użytkownika").fill(username)
    await page.get_by_label("Hasło").fill(PASSWORD)
    await page.get_by_role("button", name="Zaloguj").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Moje zajęcia dziś")


async def test_an_instructor_records_a_class_from_the_week_view(
    page: Page, api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    name, instructor_id = await instructor(sessions, staff)
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

    # The instructor logs in and lands on their classes today (no tasks, no participants).
    await page.goto("/web/")
    await page.get_by_label("Nazwa użytkownika").fill(name)
    await page.get_by_label("Hasło").fill(PASSWORD)
    await page.get_by_role("button", name="Zaloguj").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Moje zajęcia dziś")
    await expect(page.get_by_role("link", name="Dziś")).to_have_attribute("aria-current", "page")
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
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
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
    # An instructor's day with classes (an empty one is in test_accessibility's main pages).
    name, instructor_id = await instructor(sessions, staff)
    lead = await api.put(f"/groups/{group}/instructor", json={"instructor_id": instructor_id},
                         headers=staff.caseworker)  # fmt: skip
    assert lead.status_code == 200, lead.text
    await page.context.clear_cookies()
    await log_in_instructor(page, name)
    await check(page, "/web/my-classes?day=2026-11-02")
    await screenshot(page, "14-my-classes-1024px")


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
        ("GET", "/web/my-classes?day=2026-11-02", None, (303, 200, 200, 403, 200)),
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


async def test_my_classes_of_a_day_link_the_forms_and_say_which_lists_were_sent(
    page: Page, api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    name, instructor_id = await instructor(sessions, staff)
    members = [await cis_participant(api, staff) for _ in range(2)]
    group = await group_with(api, staff, [p for p, _ in members])
    await weekly_workshop(api, staff, group)
    lead = await api.put(f"/groups/{group}/instructor", json={"instructor_id": instructor_id},
                         headers=staff.caseworker)  # fmt: skip
    assert lead.status_code == 200, lead.text
    # A consultation the instructor gives, for one person of another group, in another room.
    other, _ = await cis_participant(api, staff)
    body = {"kind": "consultation", "title": "Doradztwo zawodowe", "place": "Pokój 4",
            "participant_id": other, "staff_id": instructor_id, "starts_at": "14:00",
            "hours": "1", "on": "2026-11-02"}  # fmt: skip
    made = await api.post("/classes", json=body, headers=staff.caseworker)
    assert made.status_code == 201, made.text
    # A class of another group the instructor neither leads nor gives: not theirs.
    stranger_group = await group_with(api, staff, [])
    await api.post("/classes", headers=staff.caseworker, json={
        "kind": "group_class", "title": "Umiejętności społeczne", "place": "Sala 2",
        "group_id": stranger_group, "starts_at": "10:00", "hours": "2", "on": "2026-11-02"})

    await log_in_instructor(page, name)
    await page.goto("/web/my-classes?day=2026-11-02")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Moje zajęcia poniedziałek 02.11.2026"
    )
    headings = page.get_by_role("heading", level=2)
    await expect(headings).to_have_text(["08:00\u201314:00 Gastronomia",
                                         "14:00\u201315:00 Doradztwo zawodowe"])  # fmt: skip
    workshop = page.get_by_role("region", name="08:00\u201314:00 Gastronomia")
    await expect(workshop).to_contain_text("Warsztat gastronomiczny")
    await expect(workshop).to_contain_text("niewysłana")
    consultation = page.get_by_role("region", name="14:00\u201315:00 Doradztwo zawodowe")
    await expect(consultation).to_contain_text("zajęcia indywidualne")
    await expect(consultation).to_contain_text("Pokój 4")
    await screenshot(page, "14-my-classes-before")

    # The form from the day's page, by keyboard: the link, then the list sent as it stands.
    link = page.get_by_role("link", name="Obecność: Gastronomia, 08:00")
    await link.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Gastronomia")
    await page.get_by_role("button", name="Zapisz listę").click()
    await expect(page.locator("#result")).to_contain_text("Zapisano: 2")
    await page.get_by_role("link", name="Moje zajęcia tego dnia").click()
    await expect(workshop).to_contain_text("wysłana: zaznaczono 2 z 2")
    await expect(consultation).to_contain_text("niewysłana")
    await screenshot(page, "14-my-classes-after")
    # Another day: nothing planned for them.
    await page.goto("/web/my-classes?day=2026-11-07")
    await expect(page.get_by_text("Tego dnia nie masz zajęć.")).to_be_visible()


async def test_the_week_by_staff_member_and_by_room(
    page: Page, people: People, api: httpx.AsyncClient, staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    name, instructor_id = await instructor(sessions, staff)
    group = await group_with(api, staff, [])
    await weekly_workshop(api, staff, group)  # in Sala 1, nobody named as its staff
    body = {"kind": "group_class", "title": "Umiejętności społeczne", "place": "Sala 2",
            "group_id": group, "staff_id": instructor_id, "starts_at": "15:00",
            "hours": "2", "on": "2026-11-03"}  # fmt: skip
    assert (await api.post("/classes", json=body, headers=staff.caseworker)).status_code == 201
    await page.set_viewport_size(NARROW)
    await log_in(page, people.caseworker, people.password)
    await page.goto("/web/timetable?week=2026-11-02")
    rows = page.locator("table.week tbody tr")
    await expect(rows).to_have_count(6)

    await page.get_by_label("Prowadzący").select_option(label=name)
    await page.get_by_role("button", name="Pokaż").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Umiejętności społeczne")
    await expect(rows.first).to_contain_text(name)
    await screenshot(page, "14-week-by-staff")
    # The filter stays chosen on the next week (nothing of theirs there).
    await page.get_by_role("link", name="Następny tydzień").click()
    await expect(page.get_by_label("Prowadzący")).to_have_value(instructor_id)
    await expect(rows).to_have_count(0)

    await page.goto("/web/timetable?week=2026-11-02")
    await expect(page.get_by_label("Sala")).to_contain_text("Sala 1")
    await page.get_by_label("Sala").select_option(label="Sala 1")
    await page.get_by_role("button", name="Pokaż").click()
    await expect(rows).to_have_count(5)
    await expect(page.get_by_text("Umiejętności społeczne")).to_have_count(0)
    await screenshot(page, "14-week-by-room")
