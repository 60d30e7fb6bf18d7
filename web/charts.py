"""Charts drawn on the server as SVG: no chart library, no script, readable by screen readers.

Each chart is an `<svg role="img">` with a title and a description naming every value, and the
page shows the same figures in a table beside it. Presentation attributes only (the content
policy forbids inline styles).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

_WIDTH = 640
_LABEL = 250  # room for the labels on the left
_ROW = 30
_BAR = 20
_INK, _BRAND, _TARGET, _TRACK = "#1b1f24", "#0b4f8a", "#b35900", "#e6eaee"
_FONT = 'font-family="system-ui, sans-serif" font-size="14"'


@dataclass(frozen=True)
class Bar:
    """One labelled value."""

    label: str
    value: int


@dataclass(frozen=True)
class Share:
    """A percentage (None when nobody was counted) and its target, if the rulebook sets one."""

    label: str
    pct: Decimal | None
    target_pct: Decimal | None
    shown: str  # how the value reads, e.g. "42.9 % (3/7)"


def _frame(chart_id: str, title: str, description: str, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg id="{chart_id}" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _label(y: int, text: str) -> str:
    return (
        f'<text x="{_LABEL - 8}" y="{y + _BAR - 5}" text-anchor="end" fill="{_INK}" {_FONT}>'
        f"{escape(text)}</text>"
    )


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> Markup:
    """Horizontal bars scaled to the largest value, each with its number."""
    top = max((bar.value for bar in bars), default=0) or 1
    room = _WIDTH - _LABEL - 60
    body: list[str] = []
    for row, bar in enumerate(bars):
        y = 6 + row * _ROW
        length = round(room * bar.value / top)
        body += [
            _label(y, bar.label),
            f'<rect x="{_LABEL}" y="{y}" width="{max(length, 1)}" height="{_BAR}" '
            f'fill="{_BRAND}"/>',
            f'<text x="{_LABEL + length + 6}" y="{y + _BAR - 5}" fill="{_INK}" {_FONT} '
            f'font-weight="bold">{bar.value}</text>',
        ]
    description = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
    return _frame(chart_id, title, description, 12 + len(bars) * _ROW, body)


def share_chart(chart_id: str, title: str, shares: list[Share], target_word: str) -> Markup:
    """Bars from 0 to 100 % with the target marked by a line."""
    room = _WIDTH - _LABEL - 150
    body: list[str] = []
    for row, share in enumerate(shares):
        y = 6 + row * _ROW
        length = round(room * float(share.pct or 0) / 100)
        body += [
            _label(y, share.label),
            f'<rect x="{_LABEL}" y="{y}" width="{room}" height="{_BAR}" fill="{_TRACK}"/>',
            f'<rect x="{_LABEL}" y="{y}" width="{length}" height="{_BAR}" fill="{_BRAND}"/>',
            f'<text x="{_LABEL + room + 6}" y="{y + _BAR - 5}" fill="{_INK}" {_FONT} '
            f'font-weight="bold">{escape(share.shown)}</text>',
        ]
        if share.target_pct is not None:
            x = _LABEL + round(room * float(share.target_pct) / 100)
            body.append(
                f'<line x1="{x}" x2="{x}" y1="{y - 3}" y2="{y + _BAR + 3}" '
                f'stroke="{_TARGET}" stroke-width="3"/>'
            )
    description = "; ".join(
        f"{s.label}: {s.shown}"
        + (f" ({target_word} {s.target_pct} %)" if s.target_pct is not None else "")
        for s in shares
    )
    return _frame(chart_id, title, description, 12 + len(shares) * _ROW, body)
