"""What reminders say, in Polish (default) and English: content-neutral by rule.

A message names the centre, its phone, a date, a time and a place, and nothing about why the
person takes part: no category, diagnosis, health, addiction, conviction, housing or money
(tests/domain/test_reminder_texts.py renders every template and scans it for forbidden stems).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from domain.appointments import AppointmentKind
from domain.calendar import WARSAW
from domain.reminders import ReminderKind

Language = Literal["pl", "en"]
LANGUAGES: tuple[Language, ...] = ("pl", "en")


class MessageContext(BaseModel):
    """Everything a template may use."""

    centre_name: str
    centre_phone: str | None = None
    starts_at: datetime | None = None
    place: str | None = None
    appointment_kind: AppointmentKind | None = None
    about_on: date | None = None
    unsubscribe_url: str | None = None


class Rendered(BaseModel):
    """A message ready for a channel."""

    subject: str
    body: str  # e-mail text
    sms: str


_APPOINTMENT_WORDS: dict[Language, dict[AppointmentKind, str]] = {
    "pl": {
        AppointmentKind.WORKSHOP: "zajęcia warsztatowe",
        AppointmentKind.INDIVIDUAL: "spotkanie indywidualne",
        AppointmentKind.REVIEW: "spotkanie podsumowujące",
    },
    "en": {
        AppointmentKind.WORKSHOP: "a workshop",
        AppointmentKind.INDIVIDUAL: "an individual meeting",
        AppointmentKind.REVIEW: "a review meeting",
    },
}

# kind -> language -> (subject, line). Fields: {what} {day} {time} {place} {date}.
_TEXTS: dict[ReminderKind, dict[Language, tuple[str, str]]] = {
    ReminderKind.APPOINTMENT_EVE: {
        "pl": ("Przypomnienie o jutrzejszym spotkaniu", "Jutro, {day}, o {time}: {what}, {place}."),
        "en": ("Reminder of tomorrow's meeting", "Tomorrow, {day}, at {time}: {what}, {place}."),
    },
    ReminderKind.APPOINTMENT_SOON: {
        "pl": ("Przypomnienie o spotkaniu", "Dziś o {time}: {what}, {place}."),
        "en": ("Meeting reminder", "Today at {time}: {what}, {place}."),
    },
    ReminderKind.APPOINTMENT_CANCELLED: {
        "pl": (
            "Spotkanie odwołane",
            "Odwołane: {day}, {time}: {what}, {place}. Nie trzeba przychodzić.",
        ),
        "en": (
            "Meeting called off",
            "Called off: {day}, {time}: {what}, {place}. No need to come.",
        ),
    },
    ReminderKind.TRIAL_REVIEW: {
        "pl": ("Spotkanie w dniu {date}", "Zapraszamy na spotkanie w dniu {date}."),
        "en": ("Meeting on {date}", "You are invited to a meeting on {date}."),
    },
    ReminderKind.CONTRACT_REVIEW: {
        "pl": ("Spotkanie w dniu {date}", "Zapraszamy na rozmowę o planie działań w dniu {date}."),
        "en": ("Meeting on {date}", "You are invited to talk over your plan on {date}."),
    },
    ReminderKind.PARTICIPATION_ENDING: {
        "pl": (
            "Zbliża się zakończenie udziału w programie",
            "Twój udział w programie kończy się {date}. Zapraszamy do rozmowy o dalszych krokach.",
        ),
        "en": (
            "Your programme ends soon",
            "Your programme ends on {date}. Please get in touch to talk about the next steps.",
        ),
    },
    ReminderKind.CERTIFICATE_READY: {
        "pl": (
            "Zaświadczenie do odbioru",
            "Twoje zaświadczenie o ukończeniu programu jest gotowe do odbioru.",
        ),
        "en": (
            "Your certificate is ready",
            "Your certificate of completion is ready to be collected.",
        ),
    },
    ReminderKind.CHECK_IN: {
        "pl": (
            "Co u Ciebie słychać?",
            "Prosimy o krótki kontakt: chcemy zapytać, jak się układają Twoje sprawy.",
        ),
        "en": (
            "How are you getting on?",
            "Please get in touch briefly: we would like to hear how you are.",
        ),
    },
}

_FOOTER: dict[Language, tuple[str, str, str]] = {
    # (contact line, e-mail opt-out line, SMS opt-out)
    "pl": (
        "{centre}, tel. {phone}",
        "Aby nie otrzymywać takich wiadomości: {url}",
        "STOP: rezygnacja",
    ),
    "en": ("{centre}, phone {phone}", "To stop these messages: {url}", "Reply STOP to opt out"),
}


def render(kind: ReminderKind, language: Language, ctx: MessageContext) -> Rendered:
    """The message of a reminder in a language."""
    subject, line = _TEXTS[kind][language]
    fields = _fields(language, ctx)
    text = line.format(**fields)
    contact_line, email_opt_out, sms_opt_out = _FOOTER[language]
    contact = (
        contact_line.format(centre=ctx.centre_name, phone=ctx.centre_phone)
        if ctx.centre_phone
        else ctx.centre_name
    )
    body_lines = [text, "", contact]
    if ctx.unsubscribe_url:
        body_lines += ["", email_opt_out.format(url=ctx.unsubscribe_url)]
    return Rendered(
        subject=f"{subject.format(**fields)} - {ctx.centre_name}",
        body="\n".join(body_lines) + "\n",
        sms=f"{text} {contact}. {sms_opt_out}",
    )


def _fields(language: Language, ctx: MessageContext) -> dict[str, str]:
    local = ctx.starts_at.astimezone(WARSAW) if ctx.starts_at else None
    return {
        "what": _APPOINTMENT_WORDS[language][ctx.appointment_kind] if ctx.appointment_kind else "",
        "day": _date(local.date(), language) if local else "",
        "time": local.strftime("%H:%M") if local else "",
        "place": ctx.place or "",
        "date": _date(ctx.about_on, language) if ctx.about_on else "",
    }


def _date(day: date, language: Language) -> str:
    return day.strftime("%d.%m.%Y") if language == "pl" else day.isoformat()
