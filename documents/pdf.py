"""PDF documents people sign and file: one layout for every printout of the product.

fpdf2 (pure Python, installed from a wheel, no system library) with Lato embedded (the
`font-lato` wheel; Łukasz Dziedzic's typeface covers Polish fully), so that "ą ć ę ł ń ó ś ź ż",
Polish quotation marks and the en dash print and are extracted back as written. A document is
built from plain data (titles, paragraphs, tables, signature lines) and rendered to bytes; it
never reads the database itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import font_lato  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONT = "Lato"
_FONT_DIR = Path(font_lato.__file__).parent / "files"
_MARGIN = 18  # mm
_LINE = 5.2  # mm for 10 pt text
_HEADINGS = FontFace(family=FONT, emphasis="BOLD", fill_color=(235, 235, 235))


@dataclass(frozen=True)
class Table:
    """Rows under a header; `widths` in parts of the line (they are scaled to fit)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = ()
    align_right: frozenset[int] = frozenset()  # columns of numbers


@dataclass(frozen=True)
class Signatures:
    """Lines to sign under, each with who signs."""

    who: Sequence[str]


Block = str | Table | Signatures


@dataclass(frozen=True)
class Document:
    """A document of a centre: its name heads every page; the legal basis follows the title."""

    centre: str
    title: str
    issued_on: date
    place: str = ""
    basis: str = ""
    blocks: Sequence[Block] = field(default_factory=tuple)
    landscape: bool = False


def render(document: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = _Pdf(document)
    pdf.add_page()
    pdf.title_block()
    for block in document.blocks:
        if isinstance(block, Table):
            pdf.table_block(block)
        elif isinstance(block, Signatures):
            pdf.signatures_block(block)
        else:
            pdf.paragraph(block)
    return bytes(pdf.output())


def polish_date(day: date) -> str:
    """A date as Polish documents write it: 02.12.2026."""
    return day.strftime("%d.%m.%Y")


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="L" if document.landscape else "P", format="A4")
        self.document = document
        for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic")):
            self.add_font(FONT, style, str(_font(name)))
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 6)
        self.set_title(document.title)
        self.set_creator("participant pathway engine")
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font(FONT, "B", 9)
        self.cell(0, 5, self.document.centre, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(120, 120, 120)
        self.line(_MARGIN, self.get_y() + 1, self.w - _MARGIN, self.get_y() + 1)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self.set_font(FONT, "", 8)
        issued = polish_date(self.document.issued_on)
        place = f"{self.document.place}, " if self.document.place else ""
        self.cell(0, 5, f"{place}{issued}", align="L")
        self.set_x(_MARGIN)
        self.cell(0, 5, f"strona {self.page_no()} z {{nb}}", align="R")

    def title_block(self) -> None:
        self.set_font(FONT, "B", 14)
        self.multi_cell(0, 7, self.document.title, align="C", new_x=XPos.LMARGIN)
        if self.document.basis:
            self.set_font(FONT, "I", 9)
            self.multi_cell(0, 5, self.document.basis, align="C", new_x=XPos.LMARGIN)
        self.ln(4)

    def paragraph(self, text: str) -> None:
        self.set_font(FONT, "", 10)
        self.multi_cell(0, _LINE, text, new_x=XPos.LMARGIN)
        self.ln(2)

    def table_block(self, table: Table) -> None:
        self.set_font(FONT, "", 9)
        widths = list(table.widths) or [1.0] * len(table.header)
        total = sum(widths)
        usable = self.w - 2 * _MARGIN
        columns = [usable * w / total for w in widths]
        align = ["RIGHT" if i in table.align_right else "LEFT" for i in range(len(columns))]
        with self.table(
            col_widths=columns,
            text_align=align,
            line_height=_LINE,
            headings_style=_HEADINGS,
            first_row_as_headings=True,
        ) as grid:
            grid.row(list(table.header))
            for values in table.rows:
                grid.row([str(v) for v in values])
        self.ln(3)

    def signatures_block(self, signatures: Signatures) -> None:
        self.ln(12)
        self.set_font(FONT, "", 8)
        count = max(len(signatures.who), 1)
        width = (self.w - 2 * _MARGIN) / count
        y = self.get_y()
        for index, who in enumerate(signatures.who):
            x = _MARGIN + index * width
            self.line(x + 4, y, x + width - 4, y)
            self.set_xy(x, y + 1)
            self.cell(width, 4, who, align="C")
        self.set_xy(_MARGIN, y + 8)


@cache
def _font(name: str) -> Path:
    return _FONT_DIR / f"Lato-{name}.ttf"
