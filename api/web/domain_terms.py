"""The domain's words in Polish and English: stages, steps, deadlines, categories, error reasons.

Errors are keyed by the domain's stable codes (domain/errors.py). English falls back to the
domain's own message, which is already English; Polish falls back to it too when a code is new.
An entry is a template filled from the error's details (translated where they are domain words),
or a function of the error when one code carries several reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

Terms = dict[str, dict[str, str]]

STAGES: Terms = {
    "pl": {
        "kis_intake": "KIS: przyjęcie",
        "kis_diagnosed": "KIS: po diagnozie",
        "kis_active": "KIS: kontrakt socjalny w realizacji",
        "kis_completed": "KIS: zakończony",
        "cis_referred": "CIS: skierowany",
        "cis_trial": "CIS: okres próbny",
        "cis_main": "CIS: okres zasadniczy",
        "cis_extended": "CIS: okres przedłużony",
        "cis_follow_up": "CIS: po podjęciu pracy",
        "cis_completed": "CIS: zakończony (zaświadczenie)",
        "supported_employment": "zatrudnienie wspierane",
        "withdrawn": "rezygnacja",
        "terminated": "wykluczenie z CIS",
        "closed": "zamknięta",
    },
    "en": {
        "kis_intake": "KIS: intake",
        "kis_diagnosed": "KIS: diagnosed",
        "kis_active": "KIS: social contract in force",
        "kis_completed": "KIS: completed",
        "cis_referred": "CIS: referred",
        "cis_trial": "CIS: trial period",
        "cis_main": "CIS: main period",
        "cis_extended": "CIS: extended",
        "cis_follow_up": "CIS: follow-up after job start",
        "cis_completed": "CIS: completed (certificate)",
        "supported_employment": "supported employment",
        "withdrawn": "withdrawn",
        "terminated": "terminated",
        "closed": "closed",
    },
}

ACTIONS: Terms = {
    "pl": {
        "record_diagnosis": "Diagnoza potrzeb i predyspozycji",
        "sign_social_contract": "Podpisanie kontraktu socjalnego",
        "record_attendance": "Obecność na zajęciach",
        "record_absence": "Nieobecność",
        "record_psu_hours": "Godziny prac społecznie użytecznych",
        "review_contract": "Przegląd kontraktu socjalnego",
        "mark_contract_fulfilled": "Kontrakt socjalny zrealizowany",
        "complete_kis": "Zakończenie udziału w KIS",
        "sign_ipzs": "Podpisanie IPZS (przyjęcie do CIS)",
        "amend_ipzs": "Zmiana IPZS",
        "pass_trial": "Zaliczenie okresu próbnego",
        "extend": "Przedłużenie uczestnictwa",
        "grant_day_off": "Dzień wolny",
        "award_bonus": "Premia motywacyjna",
        "record_job_start": "Podjęcie pracy",
        "complete_cis": "Zakończenie udziału w CIS (zaświadczenie)",
        "prepare_decision": "Przygotowanie decyzji kierownika",
        "record_decision_delivery": "Doręczenie decyzji (bieg terminu na skargę)",
        "eligibility_changed": "Zmiana uprawnień wyłączających (art. 1 ust. 3)",
        "terminate": "Wykluczenie z CIS (decyzja)",
        "withdraw": "Rezygnacja uczestnika",
        "refer": "Skierowanie dalej",
        "record_employer_agreement": "Umowa z pracodawcą (zatrudnienie wspierane)",
        "record_outcome": "Sytuacja po 90 dniach od wyjścia",
        "pathway_started": "Otwarcie ścieżki",
        "deadline_reached": "Upłynął termin",
        "deadline_overdue": "Termin przekroczony",
        "outcome_window_closed": "Zamknięcie okna 90 dni",
    },
    "en": {
        "record_diagnosis": "Diagnosis of needs and predispositions",
        "sign_social_contract": "Social contract signed",
        "record_attendance": "Attendance",
        "record_absence": "Absence",
        "record_psu_hours": "Socially useful work hours",
        "review_contract": "Social contract review",
        "mark_contract_fulfilled": "Social contract fulfilled",
        "complete_kis": "KIS completed",
        "sign_ipzs": "IPZS signed (CIS admission)",
        "amend_ipzs": "IPZS amended",
        "pass_trial": "Trial period passed",
        "extend": "Participation extended",
        "grant_day_off": "Day off",
        "award_bonus": "Motivational bonus",
        "record_job_start": "Job started",
        "complete_cis": "CIS completed (certificate)",
        "terminate": "Termination (decision)",
        "withdraw": "Participant withdraws",
        "refer": "Referral onwards",
        "record_employer_agreement": "Employer agreement (supported employment)",
        "prepare_decision": "Decision prepared for the head",
        "record_decision_delivery": "Decision delivered (complaint window starts)",
        "eligibility_changed": "Exclusions changed (art. 1 ust. 3)",
        "record_outcome": "Situation 90 days after exit",
        "pathway_started": "Pathway opened",
        "deadline_reached": "Deadline reached",
        "deadline_overdue": "Deadline overdue",
        "outcome_window_closed": "Outcome window closed",
    },
}

DEADLINES: Terms = {
    "pl": {
        "contract_review": "przegląd kontraktu socjalnego",
        "kis_six_months": "6 miesięcy w KIS",
        "trial_end": "koniec okresu próbnego",
        "participation_end": "koniec uczestnictwa w CIS",
        "extension_decision": "decyzja o przedłużeniu",
        "abandonment_review": "ocena porzucenia zajęć",
        "follow_up_end": "koniec okresu po podjęciu pracy",
        "complaint_window": "termin na skargę",
        "commitment_end": "koniec zobowiązania pracodawcy",
        "head_decision": "decyzja kierownika do podjęcia",
        "eligibility_review": "ocena uprawnień wyłączających",
        "evidence_end": "koniec przyjmowania informacji o pracy",
        "outcome_window": "sytuacja po 90 dniach",
        "annual_report": "sprawozdanie roczne",
    },
    "en": {
        "contract_review": "social contract review",
        "kis_six_months": "six months in KIS",
        "trial_end": "end of the trial period",
        "participation_end": "end of CIS participation",
        "extension_decision": "extension decision",
        "abandonment_review": "abandonment review",
        "follow_up_end": "end of the follow-up",
        "complaint_window": "complaint window",
        "commitment_end": "end of the employer's commitment",
        "head_decision": "a decision awaits the head",
        "eligibility_review": "exclusions to review",
        "evidence_end": "late evidence of work accepted until",
        "outcome_window": "90-day outcome",
        "annual_report": "annual report",
    },
}

CATEGORIES: Terms = {
    "pl": {
        "homeless": "bezdomność",
        "addicted_alcohol": "uzależnienie od alkoholu",
        "addicted_drugs": "uzależnienie od narkotyków",
        "mental_disorder": "zaburzenia psychiczne",
        "long_term_unemployed": "długotrwałe bezrobocie",
        "released_from_prison": "zwolnienie z zakładu karnego",
        "refugee": "uchodźca",
        "disabled": "niepełnosprawność",
    },
    "en": {
        "homeless": "homeless",
        "addicted_alcohol": "alcohol addiction",
        "addicted_drugs": "drug addiction",
        "mental_disorder": "mental disorder",
        "long_term_unemployed": "long-term unemployed",
        "released_from_prison": "released from prison",
        "refugee": "refugee",
        "disabled": "disability",
    },
}

OPTIONS: Terms = {
    "pl": {
        "kis": "KIS (Klub Integracji Społecznej)",
        "cis": "CIS (Centrum Integracji Społecznej)",
        "group": "grupowe",
        "individual": "indywidualne",
        "workshop": "warsztat",
        "excused": "usprawiedliwiona",
        "unexcused": "nieusprawiedliwiona",
        "sick": "choroba",
        "breach": "naruszenie regulaminu lub IPZS",
        "abandonment": "porzucenie zajęć",
        "cooperative": "spółdzielnia socjalna",
        "supported_employment": "zatrudnienie wspierane",
        "employment": "praca na otwartym rynku",
        "employed": "zatrudniony",
        "employed_not_qualifying": "zatrudniony (poza wskaźnikiem)",
        "not_employed": "niezatrudniony",
        "not_reported": "brak informacji",
        "kis_completed": "zakończenie KIS",
        "cis_completed": "zakończenie CIS (zaświadczenie)",
        "withdrawn": "rezygnacja",
        "terminated_breach": "wykluczenie: naruszenie",
        "terminated_abandonment": "wykluczenie: porzucenie zajęć",
        "referred_supported_employment": "skierowanie do zatrudnienia wspieranego",
        "civil_law": "umowa cywilnoprawna",
        "self_employment": "własna działalność",
        "sign_ipzs": "przyjęcie do CIS (podpisanie IPZS)",
        "pass_trial": "zaliczenie okresu próbnego",
        "complete_cis": "zaświadczenie o ukończeniu CIS",
        "terminate": "wykluczenie z CIS",
        "reminder.session_eve": "dzień przed zajęciami",
        "reminder.session_soon": "tuż przed zajęciami",
        "reminder.trial_review": "koniec okresu próbnego",
        "reminder.contract_review": "przegląd kontraktu",
        "reminder.participation_ending": "koniec uczestnictwa",
        "reminder.certificate_ready": "zaświadczenie do odbioru",
        "reminder.check_in": "kontakt po zakończeniu",
        "status.queued": "w kolejce",
        "status.sending": "w wysyłce",
        "status.sent": "wysłane",
        "status.retrying": "ponawiane",
        "status.failed": "nie wysłano (błąd)",
        "status.unconfirmed": "niepotwierdzone",
        "status.suppressed": "wstrzymane",
        "status.dropped": "pominięte",
        "reason.no_consent": "brak zgody",
        "reason.no_address": "brak numeru lub adresu",
        "reason.quiet_hours_no_slot": "brak pory poza ciszą nocną",
        "reason.too_late": "za późno",
    },
    "en": {
        "kis": "KIS (Social Integration Club)",
        "cis": "CIS (Social Integration Centre)",
        "group": "group",
        "individual": "individual",
        "workshop": "workshop",
        "excused": "excused",
        "unexcused": "unexcused",
        "sick": "sick",
        "breach": "breach of the rules or the IPZS",
        "abandonment": "abandonment",
        "cooperative": "social cooperative",
        "supported_employment": "supported employment",
        "employment": "open labour market",
        "employed": "employed",
        "employed_not_qualifying": "employed (not counted)",
        "not_employed": "not employed",
        "not_reported": "not reported",
        "kis_completed": "KIS completed",
        "cis_completed": "CIS completed (certificate)",
        "withdrawn": "withdrawn",
        "terminated_breach": "terminated: breach",
        "terminated_abandonment": "terminated: abandonment",
        "referred_supported_employment": "referred to supported employment",
        "civil_law": "civil-law contract",
        "self_employment": "self-employment",
        "sign_ipzs": "admission to the CIS (IPZS)",
        "pass_trial": "trial period passed",
        "complete_cis": "CIS certificate",
        "terminate": "termination",
        "reminder.session_eve": "the day before a session",
        "reminder.session_soon": "shortly before a session",
        "reminder.trial_review": "end of the trial period",
        "reminder.contract_review": "contract review",
        "reminder.participation_ending": "participation ending",
        "reminder.certificate_ready": "certificate ready",
        "reminder.check_in": "check-in after exit",
        "status.queued": "queued",
        "status.sending": "sending",
        "status.sent": "sent",
        "status.retrying": "retrying",
        "status.failed": "failed",
        "status.unconfirmed": "unconfirmed",
        "status.suppressed": "suppressed",
        "status.dropped": "dropped",
        "reason.no_consent": "no consent",
        "reason.no_address": "no number or address",
        "reason.quiet_hours_no_slot": "no slot outside quiet hours",
        "reason.too_late": "too late",
    },
}

ErrorEntry = str | Callable[[str, dict[str, Any]], str | None]

_PESEL_PL = {
    "PESEL must be exactly 11 digits.": "PESEL musi mieć dokładnie 11 cyfr.",
    "PESEL check digit does not match.": "Cyfra kontrolna PESEL się nie zgadza.",
    "PESEL month is not a valid coded month.": "PESEL zawiera niepoprawnie zakodowany miesiąc.",
    "PESEL encodes a birth date that does not exist.": "PESEL koduje nieistniejącą datę urodzenia.",
}


def _limit_pl(_: str, details: dict[str, Any]) -> str | None:
    if "granted_months" in details:
        return (
            "Przedłużenia mogą łącznie wynieść najwyżej {max_months} mies. "
            "(przyznano dotąd: {granted_months})."
        ).format(**details)
    if "used" in details:
        return "Wykorzystano już wszystkie dni wolne ({max}) w tym uczestnictwie.".format(**details)
    if "cap" in details:
        return (
            "Premie w miesiącu nie mogą przekroczyć {cap} zł; przyznano już {already_awarded} zł."
        ).format(**details)
    return "Osiągnięto limit przewidziany przepisami."


ERRORS_PL: dict[str, ErrorEntry] = {
    "step_not_allowed": "Krok „{action}” nie jest dozwolony na etapie „{stage}”.",
    "pathway_closed": "Ścieżka jest zamknięta; nie można zapisać żadnego kroku.",
    "already_recorded": "To zostało już zapisane.",
    "occurred_on_in_future": "Data kroku nie może być w przyszłości (dziś jest {today}).",
    "occurred_on_before_previous_step": (
        "Data kroku ({occurred_on}) nie może być wcześniejsza niż data poprzedniego kroku "
        "({previous_step_on})."
    ),
    "review_date_not_after_step": "Data przeglądu musi być późniejsza niż data kroku.",
    "participation_ended": "Uczestnictwo już się zakończyło; nie można go przedłużyć.",
    "limit_exceeded": _limit_pl,
    "not_admitted": "Uczestnik nie został jeszcze przyjęty do CIS (brak podpisanego IPZS).",
    "too_early_for_supported_employment": (
        "O zatrudnienie wspierane można wnioskować od {earliest}."
    ),
    "referral_not_allowed": "Skierowanie „{to}” nie jest dozwolone na etapie „{stage}”.",
    "outcome_after_window": "Okno 90 dni na zapisanie sytuacji minęło {window_end}.",
    "no_exit_yet": "Sytuację po wyjściu zapisuje się dopiero po zakończeniu udziału.",
    "start_date_in_future": "Data rozpoczęcia nie może być w przyszłości.",
    "programme_not_available": "Ten program nie jest jeszcze dostępny.",
    "date_before_the_act": "Data jest wcześniejsza niż wejście w życie ustawy.",
    "invalid_pesel": lambda message, _: _PESEL_PL.get(message),
    "birth_date_mismatch": (
        "Data urodzenia nie zgadza się z datą zakodowaną w PESEL ({pesel_birth_date})."
    ),
    "birth_date_in_future": "Data urodzenia jest w przyszłości.",
    "duplicate_participant": "Uczestnik z tym numerem PESEL jest już zarejestrowany w jednostce.",
    "pathway_open": "Uczestnik ma już otwartą ścieżkę.",
    "participant_not_found": "Nie ma takiego uczestnika.",
    "pathway_not_found": "Nie ma takiej ścieżki.",
    "role_not_allowed": "Twoja rola nie pozwala na ten krok.",
    "invalid_credentials": "Nieprawidłowa nazwa użytkownika lub hasło.",
    "too_many_attempts": (
        "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za {retry_after_seconds} s."
    ),
    "csrf_failed": (
        "Formularz wygasł lub nie pochodzi z tej strony. Odśwież stronę i spróbuj ponownie."
    ),
    "invalid_token": "Sesja wygasła. Zaloguj się ponownie.",
    "not_authenticated": "Zaloguj się.",
    "temporal_unavailable": "Usługa procesów jest chwilowo niedostępna; nic nie zapisano.",
    "step_unconfirmed": (
        "Usługa procesów nie potwierdziła kroku na czas. Wyślij formularz ponownie — "
        "krok nie zostanie zapisany dwa razy."
    ),
    "step_recorded_state_unavailable": (
        "Krok zapisano, ale nie udało się odczytać nowego stanu. Odśwież stronę."
    ),
    "invalid_cursor": "Nieprawidłowy numer strony wyników.",
    "not_found": "Nie ma takiej strony.",
    "unknown_step": "Nie ma takiego kroku.",
    "session_not_found": "Nie ma takich zajęć w tej ścieżce.",
    "session_incomplete": "Zajęcia wymagają dnia i godziny, rodzaju oraz miejsca.",
    "session_in_past": "Zajęcia muszą się zaczynać w przyszłości.",
    "place_too_long": "Opis miejsca jest za długi.",
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Details that are domain words, translated before they fill a template.
_DETAIL_TERMS = {"stage": STAGES, "action": ACTIONS, "to": OPTIONS}


def _polish_detail(key: str, value: Any) -> Any:
    if key in _DETAIL_TERMS:
        return _DETAIL_TERMS[key]["pl"].get(str(value), str(value))
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value).strftime("%d.%m.%Y")  # as Polish forms write dates
    return value


def error_text(lang: str, code: str, message: str, details: dict[str, Any]) -> str:
    """The reason of a domain error in `lang`; the domain's message when none is catalogued."""
    if lang != "pl":
        return message
    entry = ERRORS_PL.get(code)
    if entry is None:
        return message
    if callable(entry):
        return entry(message, details) or message
    words = {key: _polish_detail(key, value) for key, value in details.items()}
    try:
        return entry.format(**words)
    except (KeyError, IndexError, ValueError):
        return message
