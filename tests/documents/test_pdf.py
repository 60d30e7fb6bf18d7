"""The PDF layout: Polish text prints and reads back as written, on every page."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from documents.pdf import Document, Signatures, Table, polish_date, render

CENTRE = "Centrum Integracji Społecznej w Łodzi"


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_polish_diacritics_and_punctuation_read_back_as_written() -> None:
    sentence = "Zaświadcza się, że Żaneta Łęcka-Ćwik ukończyła „Gotowanie” \u2013 § 1, 1 234,56 zł."
    pdf = render(
        Document(
            centre=CENTRE,
            title="Zaświadczenie o ukończeniu zajęć",
            issued_on=date(2026, 12, 2),
            place="Łódź",
            basis="art. 13 ust. 5a ustawy o zatrudnieniu socjalnym",
            blocks=(sentence, Signatures(("kierownik Centrum", "uczestnik"))),
        )
    )
    assert pdf.startswith(b"%PDF-")
    [page] = text_of(pdf)
    for expected in (CENTRE, sentence, "art. 13 ust. 5a", "Łódź, 02.12.2026", "strona 1 z 1",
                     "kierownik Centrum"):  # fmt: skip
        assert expected in page.replace("\n", " "), expected


def test_a_long_table_runs_over_pages_with_the_centre_on_each() -> None:
    rows = [(str(n), f"Uczestnik {n}", "8,00") for n in range(1, 121)]
    pdf = render(
        Document(
            centre=CENTRE,
            title="Lista obecności",
            issued_on=date(2026, 12, 31),
            blocks=(Table(("lp.", "imię i nazwisko", "godziny"), rows, (1, 6, 2), frozenset({2})),),
        )
    )
    pages = text_of(pdf)
    assert len(pages) > 1
    assert all(CENTRE in page for page in pages)
    assert f"strona {len(pages)} z {len(pages)}" in pages[-1]
    assert "Uczestnik 120" in pages[-1]


def test_dates_are_written_the_polish_way() -> None:
    assert polish_date(date(2027, 1, 6)) == "06.01.2027"
