"""Every teacher counted once in the categories: the dashboard, the workbook and the self-evaluation
indicators add up to the staff, and their shares to 100%, on the demo and on a staff with titles."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kindergarten_portal.access.roles import HEAD
from reports.exports import rating_workbook
from reports.services import rating_build
from staff.indicators import self_evaluation_indicators
from staff.models import Category
from tests.factories import CategoryDecisionFactory, UserFactory

from .factories import current_year, teacher_with_category

TODAY = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def on_a_fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def demo_staff():
    call_command("seed_demo")


def staff_with_titles():
    for category in (Category.HIGHEST, Category.HIGHEST, Category.HIGHEST, Category.FIRST, Category.NONE):
        teacher_with_category(category, hire_date=datetime.date(2020, 1, 1))
    methodist = teacher_with_category(
        Category.HIGHEST, surname="Методистова", hire_date=datetime.date(2020, 1, 1)
    )
    CategoryDecisionFactory(
        employee=methodist, category=Category.METHODIST, decision_date=datetime.date(2024, 5, 1)
    )
    mentor = teacher_with_category(
        Category.HIGHEST, surname="Наставникова", hire_date=datetime.date(2020, 1, 1)
    )
    CategoryDecisionFactory(
        employee=mentor, category=Category.MENTOR, decision_date=datetime.date(2024, 5, 1)
    )


@pytest.mark.parametrize(
    ("make_staff", "expected"),
    [
        # the seed's kindergarten: 9 highest (a methodologist and a mentor among them), 10 first,
        # and without a category the young teacher and one on child-care leave
        (demo_staff, {"highest": 9, "first": 10, "none": 2}),
        (staff_with_titles, {"highest": 5, "first": 1, "none": 1}),
    ],
    ids=["demo", "titles"],
)
def test_categories_add_up_to_the_staff_everywhere(db, client, make_staff, expected):
    make_staff()
    staff = sum(expected.values())
    client.force_login(UserFactory(username="the_head", role=HEAD))

    # The dashboard: one line per base category, the titles within the highest, a total.
    response = client.get(reverse("reports:dashboard"))
    context = response.context
    assert context["category_counts"] == expected
    assert context["staff_total"] == staff
    assert sum(n for _label, n, _share in context["distribution"]) == staff
    assert sum(share for _label, _n, share in context["distribution"]) == 100
    html = response.content.decode()
    titles = re.search(r'data-test="titles">(.*?)</small>', html, re.S).group(1)
    assert " ".join(titles.split()) == "в том числе: педагог-методист 1, педагог-наставник 1"
    card = html[html.index('data-test="categories"') : html.index("</svg>")]
    assert "высшая + " not in card  # no chart bar, no line for a title apart from the highest
    assert card.count("<rect") == 3 and "первая" in card
    assert re.search(r'data-test="categories-total">(\d+)<', html).group(1) == str(staff)

    # The workbook's categories sheet, read back: its table adds up to the total, shares to 100%.
    build = rating_build(year=current_year(timezone.localdate()), workbook=False)
    sheet = load_workbook(io.BytesIO(rating_workbook(build)))["Категории"]
    rows = list(sheet.iter_rows(values_only=True))
    table = rows[1:4]
    assert {row[0]: row[1] for row in table} == {
        "высшая": expected["highest"],
        "первая": expected["first"],
        "без категории": expected["none"],
    }
    assert rows[4][:2] == ("Итого", staff)
    assert sum(round(row[2] * 100) for row in table) == 100
    assert rows[5][:2] == ("высшая, в том числе педагог-методист", 1)
    assert rows[6][:2] == ("высшая, в том числе педагог-наставник", 1)
    summary = load_workbook(io.BytesIO(rating_workbook(build)))["Сводка по категориям"]
    assert sum(row[1] for row in list(summary.iter_rows(values_only=True))[1:]) == staff

    # The indicators: highest, first and none add up to the pedagogical staff, shares to 100.
    evaluation = self_evaluation_indicators(on=timezone.localdate())
    rows = {r.number: r for r in evaluation.indicators if r.number}
    (none,) = [r for r in evaluation.indicators if not r.number and r.depth == 1]
    assert rows["1.8.1"].count + rows["1.8.2"].count + none.count == rows["1.7"].count
    assert rows["1.8.1"].share + rows["1.8.2"].share + none.share == 100
    assert (rows["1.8.1"].count, rows["1.8.2"].count) == (expected["highest"], expected["first"])
