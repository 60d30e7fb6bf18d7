"""Every reminder template, in both languages, says nothing about why a person takes part."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from domain.appointments import AppointmentKind
from domain.reminder_texts import LANGUAGES, Language, MessageContext, render
from domain.reminders import ReminderKind

# Stems of words a reminder must never contain (Polish and English): categories, diagnosis,
# health, addiction, conviction, housing, money help, exclusion.
FORBIDDEN = [
    # Polish
    "diagnoz", "zdrow", "chor", "lecz", "terapi", "psych", "niepełnospraw", "uzależ", "alkohol",
    "narkot", "odwyk", "nałóg", "trzeźw", "bezdom", "schronisk", "więzie", "karn", "skazan",
    "wyrok", "przestęp", "sąd", "bezrobot", "zasił", "świadczen", "pomoc społeczn", "socjaln",
    "ubóst", "bied", "uchodź", "wyklucz", "kategori", "ops", "mops", "pup", "cis", "kis",
    # English
    "diagnos", "health", "ill", "sick", "disease", "therap", "treatment", "psych", "mental",
    "disab", "addict", "alcohol", "drug", "rehab", "sober", "homeless", "shelter", "prison",
    "convict", "offend", "crimin", "court", "sentence", "unemploy", "benefit", "welfare",
    "poverty", "poor", "refugee", "exclu", "categor", "social",
]  # fmt: skip
PATTERN = re.compile(r"\b(" + "|".join(re.escape(s) for s in FORBIDDEN) + ")", re.IGNORECASE)

CONTEXT = MessageContext(
    centre_name="Centrum Aktywności Lokalnej",
    centre_phone="+48 12 345 67 89",
    starts_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
    place="sala 12, ul. Kwiatowa 5",
    about_on=date(2026, 12, 2),
    unsubscribe_url="https://example.org/api/v1/notifications/unsubscribe?token=abc",
)


def every_rendering() -> list[tuple[ReminderKind, Language, AppointmentKind, str]]:
    out = []
    for kind in ReminderKind:
        for language in LANGUAGES:
            for appointment_kind in AppointmentKind:
                ctx = CONTEXT.model_copy(update={"appointment_kind": appointment_kind})
                message = render(kind, language, ctx)
                for text in (message.subject, message.body, message.sms):
                    out.append((kind, language, appointment_kind, text))
    return out


@pytest.mark.parametrize(("kind", "language", "appointment_kind", "text"), every_rendering())
def test_no_forbidden_word(
    kind: ReminderKind, language: Language, appointment_kind: AppointmentKind, text: str
) -> None:
    found = PATTERN.findall(text)
    assert not found, f"{kind}/{language}: {found} in {text!r}"


def test_the_scan_would_catch_a_forbidden_word() -> None:
    assert PATTERN.search("Spotkanie w sprawie uzależnienia")
    assert PATTERN.search("Your Benefit payment")


def test_messages_carry_the_centre_the_time_the_place_and_the_opt_outs() -> None:
    message = render(
        ReminderKind.APPOINTMENT_EVE,
        "pl",
        CONTEXT.model_copy(update={"appointment_kind": "workshop"}),
    )
    assert (
        "Jutro, 26.11.2026, o 11:00: zajęcia warsztatowe, sala 12, ul. Kwiatowa 5." in message.body
    )
    assert "Centrum Aktywności Lokalnej, tel. +48 12 345 67 89" in message.body
    assert str(CONTEXT.unsubscribe_url) in message.body
    assert message.sms.endswith("STOP: rezygnacja")
    english = render(ReminderKind.PARTICIPATION_ENDING, "en", CONTEXT)
    assert "Your programme ends on 2026-12-02." in english.body
