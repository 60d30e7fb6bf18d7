"""Registering a participant (domain/participants.py, domain.md §7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from domain.errors import InvalidInput
from domain.participants import Category, ParticipantCreate, identity

TODAY = date(2024, 6, 10)
PESEL_1944 = "44051401359"  # 1944-05-14


def _make(**fields: Any) -> ParticipantCreate:
    base = {"first_name": "Jan", "last_name": "Kowalski"}
    return ParticipantCreate.model_validate({**base, **fields})


def test_pesel_alone_is_enough() -> None:
    assert _make(pesel=PESEL_1944).pesel == PESEL_1944


def test_birth_date_alone_is_enough() -> None:
    assert _make(birth_date="1980-03-01").birth_date == date(1980, 3, 1)


@pytest.mark.parametrize("pesel", [None, "", "   "])
def test_pesel_or_birth_date_is_required(pesel: str | None) -> None:
    with pytest.raises(ValidationError, match="pesel or birth_date"):
        _make(pesel=pesel)


@pytest.mark.parametrize("phone", [None, ""])
def test_sms_consent_needs_a_phone(phone: str | None) -> None:
    with pytest.raises(ValidationError, match="consent_sms"):
        _make(pesel=PESEL_1944, consent_sms=True, phone=phone)


def test_sms_consent_with_a_phone() -> None:
    data = _make(pesel=PESEL_1944, consent_sms=True, phone="+48 600-100-200")
    assert data.phone == "+48600100200"


@pytest.mark.parametrize("email", [None, ""])
def test_email_consent_needs_an_email(email: str | None) -> None:
    with pytest.raises(ValidationError, match="consent_email"):
        _make(pesel=PESEL_1944, consent_email=True, email=email)


def test_email_consent_with_an_email() -> None:
    assert _make(pesel=PESEL_1944, consent_email=True, email="jan@example.pl").consent_email


@pytest.mark.parametrize("phone", ["12345", "phone-number", "+48 600 100 200 300 400"])
def test_bad_phone_numbers_are_rejected(phone: str) -> None:
    with pytest.raises(ValidationError):
        _make(pesel=PESEL_1944, phone=phone)


@pytest.mark.parametrize("email", ["jan", "jan@", "jan@example", "j an@example.pl"])
def test_bad_emails_are_rejected(email: str) -> None:
    with pytest.raises(ValidationError):
        _make(pesel=PESEL_1944, email=email)


@pytest.mark.parametrize("field", ["sex", "diagnosis", "id"])
def test_unknown_fields_are_rejected(field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        _make(pesel=PESEL_1944, **{field: "x"})


def test_unknown_categories_are_rejected() -> None:
    with pytest.raises(ValidationError):
        _make(pesel=PESEL_1944, categories=["poor"])


def test_categories_are_deduplicated() -> None:
    data = _make(pesel=PESEL_1944, categories=["homeless", "refugee", "homeless", "refugee"])
    assert sorted(data.categories) == [Category.HOMELESS, Category.REFUGEE]
    assert len(data.categories) == 2


@pytest.mark.parametrize("name", ["", "   "])
def test_names_are_required(name: str) -> None:
    with pytest.raises(ValidationError):
        ParticipantCreate(first_name=name, last_name="Kowalski", pesel=PESEL_1944)


def test_identity_takes_the_birth_date_from_the_pesel() -> None:
    assert identity(_make(pesel=PESEL_1944), TODAY) == (PESEL_1944, date(1944, 5, 14))


def test_identity_strips_the_pesel() -> None:
    assert identity(_make(pesel=f" {PESEL_1944} "), TODAY) == (PESEL_1944, date(1944, 5, 14))


def test_identity_accepts_a_matching_birth_date() -> None:
    data = _make(pesel=PESEL_1944, birth_date="1944-05-14")
    assert identity(data, TODAY) == (PESEL_1944, date(1944, 5, 14))


def test_identity_without_pesel_uses_the_birth_date() -> None:
    assert identity(_make(birth_date="1990-12-31"), TODAY) == (None, date(1990, 12, 31))


def test_identity_refuses_a_birth_date_that_contradicts_the_pesel() -> None:
    with pytest.raises(InvalidInput) as caught:
        identity(_make(pesel=PESEL_1944, birth_date="1944-05-15"), TODAY)
    assert caught.value.code == "birth_date_mismatch"
    assert caught.value.details == {"pesel_birth_date": "1944-05-14"}


def test_identity_refuses_an_invalid_pesel() -> None:
    with pytest.raises(InvalidInput) as caught:
        identity(_make(pesel="44051401358"), TODAY)
    assert caught.value.code == "invalid_pesel"


def test_identity_refuses_a_future_birth_date() -> None:
    with pytest.raises(InvalidInput) as caught:
        identity(_make(birth_date="2024-06-11"), TODAY)
    assert caught.value.code == "birth_date_in_future"
    assert identity(_make(birth_date="2024-06-10"), TODAY)[1] == TODAY


def test_identity_refuses_a_pesel_born_in_the_future() -> None:
    with pytest.raises(InvalidInput) as caught:
        identity(_make(pesel="00410112340"), TODAY)  # 2100-01-01
    assert caught.value.code == "birth_date_in_future"
