"""PESEL, the Polish national identification number (domain.md §7.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidInput

_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)

# Month offset -> first year of its century (domain.md §7.1: 1800s +80, 1900s +0, 2000s +20,
# 2100s +40, 2200s +60).
_CENTURY_BY_OFFSET = {80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200}


@dataclass(frozen=True)
class Pesel:
    """A valid PESEL and the birth date it encodes."""

    number: str
    birth_date: date


def check_digit(first_ten: str) -> int:
    """The eleventh digit that the first ten call for."""
    total = sum(int(d) * w for d, w in zip(first_ten, _WEIGHTS, strict=True))
    return (10 - total % 10) % 10


def parse_pesel(value: str) -> Pesel:
    """Validate a PESEL (format, checksum, an existing birth date) or raise `invalid_pesel`."""
    number = value.strip()
    # ASCII only: str.isdigit() also accepts e.g. Arabic-Indic digits and superscripts.
    if len(number) != 11 or not (number.isascii() and number.isdigit()):
        raise _invalid("PESEL must be exactly 11 digits.")
    if check_digit(number[:10]) != int(number[10]):
        raise _invalid("PESEL check digit does not match.")
    year2, coded_month, day = int(number[0:2]), int(number[2:4]), int(number[4:6])
    offset = (coded_month - 1) // 20 * 20 if coded_month > 0 else -1
    century = _CENTURY_BY_OFFSET.get(offset)
    if century is None:
        raise _invalid("PESEL month is not a valid coded month.")
    try:
        born = date(century + year2, coded_month - offset, day)
    except ValueError:
        raise _invalid("PESEL encodes a birth date that does not exist.") from None
    return Pesel(number=number, birth_date=born)


def encode_pesel(born: date, serial: int) -> str:
    """Build a valid PESEL for a birth date and a four-digit serial (for tests and demo data)."""
    offset = next(k for k, v in _CENTURY_BY_OFFSET.items() if v <= born.year < v + 100)
    first_ten = f"{born.year % 100:02d}{born.month + offset:02d}{born.day:02d}{serial:04d}"
    return first_ten + str(check_digit(first_ten))


def _invalid(message: str) -> InvalidInput:
    return InvalidInput("invalid_pesel", message)
