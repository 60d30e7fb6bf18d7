"""PESEL (domain.md §7.1): format, century offsets, checksum, existing birth dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.pesel import check_digit, encode_pesel, parse_pesel

# The equivalent checksum form of domain.md §7.1 (weights 9,7,3,1,... and S mod 10), written
# independently of the code under test so the two can disagree.
_ALT_WEIGHTS = (9, 7, 3, 1, 9, 7, 3, 1, 9, 7)

births = st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31))
serials = st.integers(min_value=0, max_value=9999)


def _alt_check(first_ten: str) -> int:
    return sum(int(d) * w for d, w in zip(first_ten, _ALT_WEIGHTS, strict=True)) % 10


def _assert_invalid(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_pesel(value)
    assert caught.value.code == "invalid_pesel"


@given(births, serials)
def test_every_date_and_serial_round_trips(born: date, serial: int) -> None:
    number = encode_pesel(born, serial)
    assert len(number) == 11 and number.isascii() and number.isdigit()
    assert number[6:10] == f"{serial:04d}"
    parsed = parse_pesel(number)
    assert parsed.birth_date == born
    assert parsed.number == number


@given(births, serials)
def test_check_digit_agrees_with_the_equivalent_weights(born: date, serial: int) -> None:
    number = encode_pesel(born, serial)
    assert check_digit(number[:10]) == _alt_check(number[:10]) == int(number[10])


@given(births, serials, st.integers(min_value=0, max_value=10), st.integers(1, 9))
def test_changing_any_single_digit_invalidates(
    born: date, serial: int, position: int, delta: int
) -> None:
    # Weights 1, 3, 7, 9 are coprime with 10, so a one-digit change always shifts the checksum.
    number = encode_pesel(born, serial)
    changed_digit = str((int(number[position]) + delta) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    assert changed != number
    _assert_invalid(changed)


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("44051401359", date(1944, 5, 14)),
        ("02070803628", date(1902, 7, 8)),
        ("99123100003", date(1999, 12, 31)),
        ("00810112342", date(1800, 1, 1)),
        ("00210112344", date(2000, 1, 1)),
        ("00410112340", date(2100, 1, 1)),
        ("00610112346", date(2200, 1, 1)),
        ("00222900009", date(2000, 2, 29)),
        ("84422900005", date(2184, 2, 29)),
    ],
)
def test_known_numbers_decode_to_their_birth_dates(number: str, born: date) -> None:
    assert parse_pesel(number).birth_date == born


@pytest.mark.parametrize(
    ("born", "coded_month"),
    [
        (date(1850, 1, 1), "81"),
        (date(1899, 12, 1), "92"),
        (date(1950, 1, 1), "01"),
        (date(2024, 1, 1), "21"),
        (date(2150, 1, 1), "41"),  # not 61, whatever the peselx README says (§7.1, §8.14)
        (date(2199, 12, 1), "52"),
        (date(2250, 1, 1), "61"),
        (date(2299, 12, 1), "72"),
    ],
)
def test_century_offsets_are_those_of_the_domain(born: date, coded_month: str) -> None:
    assert encode_pesel(born, 0)[2:4] == coded_month


def test_month_61_is_january_of_the_2200s_not_the_2100s() -> None:
    assert parse_pesel("00610112346").birth_date.year == 2200
    assert parse_pesel("00410112340").birth_date.year == 2100


@pytest.mark.parametrize(
    "number",
    [
        "90023000000",  # 30 February
        "00022900003",  # 29 Feb 1900: not a leap year
        "00422900005",  # 29 Feb 2100: not a leap year
        "90043100009",  # 31 April
        "90130100004",  # month 13
        "90330100000",  # month 33 (13 in the 2000s)
        "90530100006",  # month 53 (13 in the 2100s)
        "90730100002",  # month 73 (13 in the 2200s)
        "90930100008",  # month 93 (13 in the 1800s)
        "90990100004",  # month 99
        "90000100008",  # month 00
        "90010000002",  # day 00
    ],
)
def test_impossible_dates_are_rejected_even_with_a_good_checksum(number: str) -> None:
    assert _alt_check(number[:10]) == int(number[10])
    _assert_invalid(number)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "4405140135",
        "440514013590",
        "4405140135a",
        "44-05140135",
        "4405140135 9",
        "+4405140135",
        "4405140135\u00b2",  # str.isdigit() is true for superscripts
        "\u0664\u0664\u0660\u0665\u0661\u0664\u0660\u0661\u0663\u0665\u0669",  # Arabic-Indic
        "\uff14\uff14\uff10\uff15\uff11\uff14\uff10\uff11\uff13\uff15\uff19",  # full-width
    ],
)
def test_non_digits_and_wrong_lengths_are_rejected(value: str) -> None:
    _assert_invalid(value)


def test_surrounding_whitespace_is_ignored() -> None:
    parsed = parse_pesel(" 44051401359\n")
    assert parsed.number == "44051401359"
    assert parsed.birth_date == date(1944, 5, 14)


def test_wrong_check_digit_is_rejected() -> None:
    _assert_invalid("44051401358")
