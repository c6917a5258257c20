"""Geometry of the dashboard's bar charts; templates/reports/_bar_chart.svg draws them (no JavaScript)."""

from dataclasses import dataclass
from decimal import Decimal


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


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    bars: list
    baseline: float
    horizontal: bool


def bar_chart(title, data, *, width=480, height=220, horizontal=False) -> BarChart:
    """`data` is [(label, value)]; bars scale to the largest value (all-zero data draws flat bars)."""
    values = [float(v) for _label, v in data]
    top = max(values, default=0) or 1
    bars = []
    if horizontal:
        label_space, row = 170, 22
        height = max(row * len(data) + 10, 40)
        usable = width - label_space - 50
        for index, (label, value) in enumerate(data):
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
                )
            )
        return BarChart(str(title), width, height, bars, label_space, True)
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
            )
        )
    return BarChart(str(title), width, height, bars, bottom, False)


def _display(value):
    if isinstance(value, Decimal | float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)
