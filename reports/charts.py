"""Geometry of the dashboard's bar charts; templates/reports/_bar_chart.svg draws them (no JavaScript)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

FONT_SIZE = 11  # px, the labels' size in the SVG's own units
# Average glyph width of names in em, a little above what DejaVu Sans and Arial measure for Cyrillic
# (0.61): the server cannot measure text, so labels are sized and cut on this estimate.
CHAR_WIDTH = 0.65
ELLIPSIS = "…"


@dataclass
class Bar:
    label: str
    value: float
    display: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text: str = ""  # the label as drawn: cut with an ellipsis where it would not fit


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    bars: list
    baseline: float
    horizontal: bool
    font_size: int = FONT_SIZE


def text_width(text: str, font_size: int = FONT_SIZE) -> float:
    """Estimated width of `text` in px at `font_size`."""
    return len(text) * font_size * CHAR_WIDTH


def fit_text(text: str, width: float, font_size: int = FONT_SIZE) -> str:
    """`text` as is when it fits `width` px, else cut to fit with an ellipsis."""
    if text_width(text, font_size) <= width:
        return text
    keep = max(int(width / (font_size * CHAR_WIDTH)) - 1, 1)
    return text[:keep].rstrip() + ELLIPSIS


def bar_chart(title, data, *, width=480, height=220, horizontal=False) -> BarChart:
    """`data` is [(label, value)]; bars scale to the largest value (all-zero data draws flat bars).

    Horizontal charts give the labels on the left as much room as the longest one needs, up to
    45% of the width; longer labels are cut with an ellipsis, so none runs off the picture."""
    values = [float(v) for _label, v in data]
    top = max(values, default=0) or 1
    bars = []
    if horizontal:
        row, gap = 22, 6  # gap: between a label's end and its bar
        texts = [fit_text(str(label), width * 0.45 - gap - 4) for label, _value in data]
        label_space = round(max((text_width(t) for t in texts), default=0) + gap + 4)
        height = max(row * len(data) + 10, 40)
        usable = width - label_space - 50
        for index, ((label, value), text) in enumerate(zip(data, texts, strict=True)):
            length = usable * float(value) / top
            y = 5 + index * row
            bars.append(
                Bar(
                    str(label),
                    float(value),
                    _display(value),
                    label_space,
                    y,
                    length,
                    row - 6,
                    label_space + length + 4,
                    y + row - 10,
                    text,
                )
            )
        return BarChart(str(title), width, height, bars, label_space - gap, True)
    bottom = height - 40
    usable = bottom - 20
    slot = (width - 20) / max(len(data), 1)
    for index, (label, value) in enumerate(data):
        bar_height = usable * float(value) / top
        x = 10 + index * slot + slot * 0.15
        bars.append(
            Bar(
                str(label),
                float(value),
                _display(value),
                x,
                bottom - bar_height,
                slot * 0.7,
                bar_height,
                x + slot * 0.35,
                bottom - bar_height - 4,
                fit_text(str(label), slot - 4),
            )
        )
    return BarChart(str(title), width, height, bars, bottom, False)


def _display(value):
    """Points as the page shows them in the user's language (17,5 in Russian; whole numbers bare)."""
    if isinstance(value, Decimal | float) and value != int(value):
        return number_format(value, decimal_pos=1)
    return str(int(value)) if isinstance(value, Decimal | float) else str(value)
