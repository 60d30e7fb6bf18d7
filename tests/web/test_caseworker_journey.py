"""A caseworker in Debian's chromium: log in, register with PESEL feedback, walk the KIS steps,
see a refused step explained in Polish with what was typed kept, find the participant again."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from playwright.async_api import Page, expect

from domain.calendar import add_months, local_date
from domain.pesel import encode_pesel
from tests.web.conftest import People, screenshot


def _today() -> date:
    return local_date(datetime.now(UTC))


async def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the form the way a person does."""
    await page.goto("/web/")
    await expect(page).to_have_url("/web/login?next=/web/")
    await page.get_by_label("Nazwa użytkownika").fill(username)
    await page.get_by_label("Hasło").fill(password)
    await page.get_by_role("button", name="Zaloguj").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Dziś")


async def take_step(
    page: Page, summary: str, fields: dict[str, str], choices: dict[str, str] | None = None
) -> None:
    """Open a step's form by its name, fill it, record it."""
    step = page.locator("details.action", has=page.locator(f"summary:text-is('{summary}')"))
    if await step.get_attribute("open") is None:  # a refused step's form stays open
        await step.locator("summary").click()
    for label, value in fields.items():
        await step.get_by_label(label, exact=False).first.fill(value)
    for label, value in (choices or {}).items():
        await step.get_by_label(label, exact=False).first.select_option(value)
    await step.locator("button[type=submit]").click()


async def test_a_caseworker_registers_and_walks_the_kis_steps(page: Page, people: People) -> None:
    today = _today()
    started = add_months(today, -7)
    surname = f"Przykładowa-{uuid.uuid4().hex[:5]}"
    pesel = encode_pesel(date(1981, 3, 14), int(uuid.uuid4().int % 10_000))

    await page.goto("/web/login")
    await screenshot(page, "01-login")
    await log_in(page, people.caseworker, people.password)
    await screenshot(page, "02-today-caseworker")

    # Registration: the PESEL is checked as it is typed.
    await page.get_by_role("link", name="Nowy uczestnik").click()
    await page.get_by_label("Imię").fill("Anna")
    await page.get_by_label("Nazwisko").fill(surname)
    pesel_input = page.get_by_label("PESEL", exact=True)
    wrong = pesel[:10] + str((int(pesel[10]) + 1) % 10)
    await pesel_input.press_sequentially(wrong[:6])
    await expect(page.locator("#pesel-feedback")).to_have_text("Wpisano 6 z 11 cyfr.")
    await pesel_input.press_sequentially(wrong[6:])
    await expect(page.locator("#pesel-feedback")).to_have_text(
        "Cyfra kontrolna PESEL się nie zgadza."
    )
    await pesel_input.fill(pesel)
    await expect(page.locator("#pesel-feedback")).to_have_text(
        "PESEL poprawny — data urodzenia 14.03.1981."
    )
    await page.get_by_label("Telefon").fill("+48 600 100 200")
    await page.get_by_label("Zgoda na przypomnienia SMS").check()
    await page.get_by_label("długotrwałe bezrobocie").check()
    await screenshot(page, "03-register")
    await page.get_by_role("button", name="Zarejestruj uczestnika").click()

    # The participant's page: no pathway yet; open a KIS pathway seven months back.
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"{surname} Anna")
    await expect(page.get_by_text("Uczestnik nie ma otwartej ścieżki.")).to_be_visible()
    await page.get_by_label("Program").select_option("kis")
    await page.get_by_label("Data rozpoczęcia").fill(started.isoformat())
    await page.get_by_role("button", name="Otwórz ścieżkę").click()
    stage = page.locator("#stage")
    await expect(stage).to_have_text("KIS: przyjęcie")

    await take_step(
        page,
        "Diagnoza potrzeb i predyspozycji",
        {
            "Data zdarzenia": (started + timedelta(days=1)).isoformat(),
            "Podsumowanie": "potrzeby i predyspozycje: praca w grupie",
        },
    )
    await expect(stage).to_have_text("KIS: po diagnozie")
    await expect(page.locator(".timeline")).to_contain_text("praca w grupie")
    await take_step(
        page,
        "Podpisanie kontraktu socjalnego",
        {
            "Data zdarzenia": (started + timedelta(days=2)).isoformat(),
            "Data przeglądu kontraktu": (today + timedelta(days=20)).isoformat(),
        },
    )
    await expect(stage).to_have_text("KIS: kontrakt socjalny w realizacji")
    attended_on = started + timedelta(days=3)
    await take_step(
        page,
        "Obecność na zajęciach",
        {"Data zdarzenia": attended_on.isoformat(), "Liczba godzin": "4"},
    )
    await expect(page.locator(".timeline")).to_contain_text("Obecność na zajęciach")

    # A step dated before the previous one is refused by the domain, explained in Polish,
    # and every typed value is still in the form.
    await take_step(
        page,
        "Obecność na zajęciach",
        {
            "Data zdarzenia": started.isoformat(),
            "Liczba godzin": "3,5",
        },
        {"Rodzaj": "workshop"},
    )
    refusal = page.locator("#refusal-record_attendance")
    await expect(refusal).to_contain_text("Krok nie został zapisany")
    await expect(refusal).to_contain_text(
        f"nie może być wcześniejsza niż data poprzedniego kroku ({attended_on:%d.%m.%Y})"
    )
    form = page.locator("#action-record_attendance")
    await expect(form.get_by_label("Liczba godzin")).to_have_value("3,5")
    await expect(form.get_by_label("Rodzaj")).to_have_value("workshop")
    await expect(form.get_by_label("Data zdarzenia")).to_have_value(started.isoformat())
    await expect(page.locator("#live")).to_contain_text("Krok nie został zapisany")
    await screenshot(page, "04-refused-step")

    # A second tab left open on the page before the completion goes stale.
    stale = await page.context.new_page()
    await stale.goto(page.url)

    await take_step(page, "Kontrakt socjalny zrealizowany", {})
    await expect(page.locator(".timeline")).to_contain_text("Kontrakt socjalny zrealizowany")
    await take_step(page, "Zakończenie udziału w KIS", {})
    await expect(stage).to_have_text("KIS: zakończony")
    await expect(page.locator("#pathway")).to_contain_text("Status absolwenta")
    await expect(page.locator("#live")).to_contain_text("Zapisano: Zakończenie udziału w KIS.")
    await screenshot(page, "05-participant-kis-completed")

    # The stale tab still offers a review; the domain refuses it, in Polish, beside the form.
    await take_step(stale, "Przegląd kontraktu socjalnego", {})
    await expect(stale.locator("#refusal-review_contract")).to_contain_text(
        "Krok „Przegląd kontraktu socjalnego” nie jest dozwolony na etapie „KIS: zakończony”."
    )
    await expect(stale.locator("#stage")).to_have_text("KIS: zakończony")
    await screenshot(stale, "05b-stale-step-refused")
    await stale.close()

    # The list finds them as the search is typed.
    await page.get_by_role("link", name="Uczestnicy").click()
    await page.get_by_label("Szukaj: nazwisko, imię lub początek numeru PESEL").fill(surname)
    results = page.locator("#results")
    await expect(results.get_by_role("link", name=f"{surname} Anna")).to_be_visible()
    await expect(results).to_contain_text("KIS: zakończony")
    await screenshot(page, "06-participants")
