"""A pathway's documents in Polish, from its steps: what each says and on which legal basis.

Built from plain facts (the centre, the person, the timeline, the step that made the document)
into `documents.pdf.Document`; nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from documents.pdf import Document, Signatures, Table, polish_date
from domain.calendar import period_end
from domain.day_marks import standing_marks
from domain.pathway import Event
from domain.pathway_documents import MADE_BY, TITLES, DocumentKind
from domain.rulebook import rules_on

ACT = "ustawy z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym (Dz.U. 2025 poz. 83)"
SOCIAL_ASSISTANCE = "ustawy z dnia 12 marca 2004 r. o pomocy społecznej"
GROUNDS = {
    "breach": "uporczywe naruszanie postanowień programu (art. 13 ust. 4 pkt 1)",
    "abandonment": "trwałe opuszczenie zajęć (art. 13 ust. 4 pkt 2)",
}
GROUND_POINTS = {"breach": "1", "abandonment": "2"}
TARGETS = {
    "cis": ("do Centrum Integracji Społecznej", f"art. 12 ust. 1 {ACT}"),
    "supported_employment": ("do zatrudnienia wspieranego", f"art. 16 {ACT}"),
    "cooperative": (
        "do spółdzielni socjalnej",
        "art. 16 " + ACT + "; ustawa z dnia 27 kwietnia 2006 r. o spółdzielniach socjalnych",
    ),
    "employment": ("do zatrudnienia", f"art. 13 ust. 5 {ACT}"),
}
APPLICANTS = {
    "cis": "Wniosek złożono za zgodą uczestnika (art. 12 ust. 1).",
    "supported_employment": "Na wspólny wniosek kierownika, pracownika socjalnego i uczestnika "
    "(art. 16 ust. 1).",
}
ATTENDANCE_KINDS = {"group": "zajęcia grupowe", "individual": "zajęcia indywidualne",
                    "workshop": "warsztaty reintegracji zawodowej"}  # fmt: skip


@dataclass(frozen=True)
class PathwayFacts:
    """What a document of the pathway may say: the centre, the person and the steps."""

    centre: str
    participant: str
    pesel: str | None
    birth_date: date
    timeline: list[Event]
    place: str = ""


def build(facts: PathwayFacts, event: Event) -> Document:
    """The document the step `event` made."""
    kind = MADE_BY[event.type]
    builders = {
        DocumentKind.IPZS: _ipzs,
        DocumentKind.SOCIAL_CONTRACT: _social_contract,
        DocumentKind.TERMINATION_DECISION: _termination,
        DocumentKind.CIS_CERTIFICATE: _cis_certificate,
        DocumentKind.KIS_CERTIFICATE: _kis_certificate,
        DocumentKind.REFERRAL: _referral,
    }
    title, basis, blocks = builders[kind](facts, event)
    return Document(
        centre=facts.centre,
        title=title,
        issued_on=event.occurred_on,
        place=facts.place,
        basis=basis,
        blocks=(_person(facts), *blocks),
    )


Built = tuple[str, str, tuple[str | Table | Signatures, ...]]


def _person(facts: PathwayFacts) -> Table:
    identity = facts.pesel or f"data urodzenia {polish_date(facts.birth_date)}"
    return Table(("Uczestnik", "PESEL / data urodzenia"), [(facts.participant, identity)], (3, 2))


def _ipzs(facts: PathwayFacts, event: Event) -> Built:
    admitted = event.occurred_on
    rules = rules_on(admitted)
    trial_end = period_end(admitted, rules.cis_trial_max_months)
    extended = sum(int(e.data.get("months", 0)) for e in facts.timeline if e.type == "extend")
    months = rules.cis_base_period_months + extended
    end = period_end(admitted, months)
    amendments = [e for e in facts.timeline if e.type == "amend_ipzs" and e.seq > event.seq]
    blocks: list[str | Table | Signatures] = [
        f"Program podpisano dnia {polish_date(admitted)}; z tym dniem uczestnik zostaje przyjęty "
        f"do Centrum (art. 12 ust. 4). Okres próbny trwa do {polish_date(trial_end)}, okres "
        f"uczestnictwa ({months} mies.) do {polish_date(end)} (art. 15).",
        "Zakres i formy reintegracji zawodowej i społecznej (art. 13 ust. 2 pkt 1): "
        + str(event.data.get("summary") or "— do uzupełnienia przez pracownika socjalnego —"),
        "Osoby odpowiedzialne za realizację programu (art. 13 ust. 2 pkt 3): pracownik socjalny "
        "Centrum i kierownik Centrum.",
        Table(
            ("Przegląd programu", "termin"),
            [
                ("po okresie próbnym", polish_date(trial_end)),
                ("na zakończenie uczestnictwa", polish_date(end)),
            ],
            (3, 2),
        ),
    ]
    if amendments:
        rows = [(polish_date(e.occurred_on), str(e.data.get("summary") or "—")) for e in amendments]
        blocks.append(Table(("Zmiana programu (art. 13 ust. 3)", "treść"), rows, (2, 5)))
    blocks.append(Signatures(("pracownik socjalny Centrum", "kierownik Centrum", "uczestnik")))
    return TITLES[DocumentKind.IPZS] + " (IPZS)", f"art. 12 i 13 {ACT}", tuple(blocks)


def _social_contract(facts: PathwayFacts, event: Event) -> Built:
    reviews = [
        e.data["review_on"]
        for e in facts.timeline
        if e.type in ("sign_social_contract", "review_contract")
        and e.seq >= event.seq
        and e.data.get("review_on")
    ]
    rows = [(str(n), polish_date(date.fromisoformat(day))) for n, day in enumerate(reviews, 1)]
    return (
        TITLES[DocumentKind.SOCIAL_CONTRACT],
        f"art. 6 pkt 6 i art. 108 {SOCIAL_ASSISTANCE}; art. 18 ust. 4 {ACT}",
        (
            f"Kontrakt zawarto dnia {polish_date(event.occurred_on)} między pracownikiem "
            f"socjalnym a uczestnikiem. Jego realizacja jest warunkiem uczestnictwa w zajęciach "
            f"Klubu Integracji Społecznej (art. 18 ust. 4).",
            Table(("przegląd", "termin oceny realizacji kontraktu"), rows or [("—", "—")], (1, 4)),
            Signatures(("pracownik socjalny", "uczestnik")),
        ),
    )


def _termination(facts: PathwayFacts, event: Event) -> Built:
    ground = str(event.data.get("ground", ""))
    days = rules_on(event.occurred_on).cis_complaint_window_days
    return (
        "Decyzja o zaprzestaniu realizacji indywidualnego programu zatrudnienia socjalnego",
        f"art. 13 ust. 4 pkt {GROUND_POINTS.get(ground, '1-2')} i ust. 4a {ACT}; art. 104 i 107 "
        "Kodeksu postępowania administracyjnego",
        (
            f"Kierownik Centrum postanawia zaprzestać realizacji programu z dniem "
            f"{polish_date(event.occurred_on)}.",
            "Podstawa: " + GROUNDS.get(ground, ground) + ".",
            "Uzasadnienie: " + str(event.data.get("reason") or "—"),
            f"Pouczenie: od niniejszej decyzji przysługuje skarga do wojewódzkiego sądu "
            f"administracyjnego, wnoszona za pośrednictwem kierownika Centrum w terminie {days} "
            f"dni od dnia jej doręczenia (art. 53 § 1 ustawy \u2013 Prawo o postępowaniu przed "
            f"sądami administracyjnymi).",
            Signatures(("kierownik Centrum",)),
        ),
    )


def _hours(facts: PathwayFacts, since: date, until: date) -> Table:
    hours: dict[str, Decimal] = {}
    for e in standing_marks(facts.timeline):  # a corrected day counts as corrected
        if e.type == "record_attendance" and since <= e.occurred_on <= until:
            kind = str(e.data.get("kind", "group"))
            hours[kind] = hours.get(kind, Decimal(0)) + Decimal(str(e.data.get("hours", 0)))
    rows = [(ATTENDANCE_KINDS.get(k, k), f"{v:.2f}".replace(".", ",")) for k, v in hours.items()]
    return Table(("forma zajęć", "godziny"), rows or [("—", "0,00")], (4, 1), frozenset({1}))


def _start(facts: PathwayFacts, types: tuple[str, ...], before: int) -> date:
    found = [e.occurred_on for e in facts.timeline if e.type in types and e.seq < before]
    return found[-1] if found else facts.timeline[0].occurred_on


def _cis_certificate(facts: PathwayFacts, event: Event) -> Built:
    since = _start(facts, ("sign_ipzs",), event.seq)
    return (
        "Zaświadczenie o ukończeniu zajęć w Centrum Integracji Społecznej",
        f"art. 13 ust. 5a {ACT}",
        (
            f"Zaświadcza się, że {facts.participant} uczestniczył(a) w zajęciach Centrum w "
            f"okresie od {polish_date(since)} do {polish_date(event.occurred_on)} i zrealizował(a) "
            f"indywidualny program zatrudnienia socjalnego, nabywając umiejętności w ramach "
            f"reintegracji zawodowej i społecznej w następujących formach:",
            _hours(facts, since, event.occurred_on),
            "Zaświadczenie potwierdza status absolwenta CIS (art. 2 pkt 1a).",
            Signatures(("kierownik Centrum",)),
        ),
    )


def _kis_certificate(facts: PathwayFacts, event: Event) -> Built:
    since = _start(facts, ("pathway_started",), event.seq)
    graduate = bool(event.data.get("graduate"))
    status = (
        "Uczestnik spełnia warunki absolwenta KIS (art. 2 pkt 1b): co najmniej 6 miesięcy "
        "uczestnictwa i zrealizowany kontrakt socjalny."
        if graduate
        else "Uczestnik nie spełnia warunków absolwenta KIS (art. 2 pkt 1b)."
    )
    return (
        "Zaświadczenie o ukończeniu zajęć w Klubie Integracji Społecznej",
        f"art. 18 ust. 5a {ACT}",
        (
            f"Zaświadcza się, że {facts.participant} uczestniczył(a) w zajęciach Klubu w okresie "
            f"od {polish_date(since)} do {polish_date(event.occurred_on)}.",
            _hours(facts, since, event.occurred_on),
            status,
            Signatures(("prowadzący Klub",)),
        ),
    )


def _referral(facts: PathwayFacts, event: Event) -> Built:
    to = str(event.data.get("to", ""))
    where, basis = TARGETS.get(to, (to, ACT))
    return (
        f"Skierowanie {where}",
        basis,
        (
            f"Kieruje się {facts.participant} {where} z dniem {polish_date(event.occurred_on)}.",
            *([APPLICANTS[to]] if to in APPLICANTS else []),
            Signatures(("kierownik", "uczestnik")),
        ),
    )
