"""The dashboard's SVG bar charts: every label fits inside the picture."""

import re
from decimal import Decimal
from xml.etree import ElementTree

from django.template.loader import render_to_string

from reports.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"
# What a Cyrillic name measures in DejaVu Sans and Arial (0.61 em per character, measured in Chromium).
MEASURED_EM = 0.61


def _labels(chart):
    """(x, text-anchor, text, font size) of the category labels as drawn in the SVG."""
    html = render_to_string("reports/_bar_chart.svg", {"chart": chart})
    svg = ElementTree.fromstring(re.search(r"<svg.*</svg>", html, re.S).group())
    groups = svg.findall(f"{SVG}g")
    texts = [[t for t in g.findall(f"{SVG}text") if "data-value" not in t.attrib] for g in groups]
    rects = [g.find(f"{SVG}rect") for g in groups]
    return svg, [(t[0], r) for t, r in zip(texts, rects, strict=True)]


def _width(text, size):
    return len(text) * float(size) * MEASURED_EM


def test_rating_chart_leaves_room_for_the_longest_name():
    names = [
        "Александрова Анна Сергеевна",
        "Антонова Анна Сергеевна",
        "Ли Ян",
    ]
    chart = bar_chart("Рейтинг", [(name, Decimal("12.5")) for name in names], width=560, horizontal=True)
    svg, bars = _labels(chart)
    for (label, rect), name in zip(bars, names, strict=True):
        assert label.text == name  # not cut: there is room
        assert label.get("text-anchor") == "end"
        x = float(label.get("x"))
        assert x - _width(label.text, label.get("font-size")) >= 0, name  # starts inside the picture
        assert float(rect.get("x")) > x  # the bar begins after the label ends
    assert svg.get("viewBox") == f"0 0 {chart.width} {chart.height}" and svg.get("width") == "100%"


def test_rating_chart_cuts_a_very_long_name_with_an_ellipsis():
    name = "Константинопольская-Старохолмогорская Александра Владимировна"
    chart = bar_chart("Рейтинг", [(name, 30), ("Ли Ян", 10)], width=560, horizontal=True)
    _svg, bars = _labels(chart)
    label, rect = bars[0]
    assert label.text.endswith("…") and name.startswith(label.text[:-1])
    assert float(label.get("x")) - _width(label.text, label.get("font-size")) >= 0
    assert float(rect.get("x")) < 560 * 0.5  # the bars keep more than half of the width
    assert float(rect.get("width")) > 200
    assert chart.bars[0].label == name  # the full name stays in the tooltip


def test_short_names_give_the_bars_more_room():
    short = bar_chart("", [("Ли Ян", 10)], width=560, horizontal=True)
    long = bar_chart("", [("Александрова Анна Сергеевна", 10)], width=560, horizontal=True)
    assert short.bars[0].x < long.bars[0].x
    assert short.bars[0].width > long.bars[0].width


def test_column_labels_stay_inside_their_slot():
    data = [("высшая", 9), ("первая", 10), ("соответствие занимаемой должности", 0), ("без категории", 1)]
    chart = bar_chart("Категории", data)
    slot = (chart.width - 20) / len(data)
    _svg, bars = _labels(chart)
    for label, _rect in bars:
        assert _width(label.text, label.get("font-size")) <= slot
    assert bars[2][0].text.endswith("…")


def test_chart_values_read_as_on_the_page():
    from decimal import Decimal

    from django.utils import translation

    from reports.charts import _display

    assert _display(Decimal("17.5")) == "17,5"  # Russian decimal comma, like the table beside it
    assert _display(Decimal("13.0")) == "13"
    assert _display(9) == "9"
    with translation.override("en"):
        assert _display(Decimal("17.5")) == "17.5"
