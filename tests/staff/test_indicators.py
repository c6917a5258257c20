"""Self-evaluation staff indicators (order №1324, 1.7–1.15), every figure counted by hand."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from staff.access import staff_record
from staff.indicators import rounded_shares, self_evaluation_indicators
from staff.models import Category, EducationLevel, Position, TrainingKind
from tests.factories import (
    CategoryDecisionFactory,
    EmployeeFactory,
    KindergartenGroupFactory,
    TrainingFactory,
)
from tests.portfolios.factories import published_site
from tests.reports.factories import teacher_with_category

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 1)
D = datetime.date


def small_staff():
    """Five pedagogical staff and the head employed on 01.03.2026; one dismissed, one hired later."""
    anna = EmployeeFactory(
        surname="Антонова",
        position=Position.EDUCATOR,
        education_level=EducationLevel.HIGHER,
        education_pedagogical=True,
        birth_date=D(1999, 5, 10),  # 26: under 30
        experience_start=D(2022, 9, 1),  # 3.5 years: under 5
        hire_date=D(2022, 9, 1),
    )
    CategoryDecisionFactory(employee=anna, category=Category.FIRST, decision_date=D(2024, 3, 1))
    TrainingFactory(employee=anna, hours=72, end_date=D(2025, 1, 24), on_fgos=True)

    belova = EmployeeFactory(
        surname="Белова",
        position=Position.MUSIC_DIRECTOR,
        education_level=EducationLevel.HIGHER,
        education_pedagogical=False,
        birth_date=D(1970, 2, 28),  # 56
        experience_start=D(1994, 9, 1),  # 31.5 years: over 30
        hire_date=D(2000, 9, 1),
    )
    CategoryDecisionFactory(employee=belova, category=Category.HIGHEST, decision_date=D(2023, 10, 1))
    # A 12-hour course is no course training, on ФГОС or not; the 36-hour one is over 5 years old.
    TrainingFactory(employee=belova, hours=12, start_date=D(2025, 6, 1), end_date=D(2025, 6, 2), on_fgos=True)
    TrainingFactory(employee=belova, hours=36, start_date=D(2020, 4, 1), end_date=D(2020, 5, 1))

    vasilyeva = EmployeeFactory(
        surname="Васильева",
        position=Position.SENIOR_EDUCATOR,  # pedagogical, not administrative
        education_level=EducationLevel.SECONDARY_VOCATIONAL,
        education_pedagogical=True,
        birth_date=D(1971, 3, 1),  # turns 55 on the day: counted
        experience_start=D(1996, 3, 1),  # exactly 30 years: not over 30
        hire_date=D(2010, 9, 1),
    )
    # Granted in 2019 for five years: expired on 01.02.2024, so no category on 01.03.2026.
    CategoryDecisionFactory(employee=vasilyeva, category=Category.HIGHEST, decision_date=D(2019, 2, 1))
    TrainingFactory(
        employee=vasilyeva,
        kind=TrainingKind.RETRAINING,
        hours=300,
        start_date=D(2022, 9, 1),
        end_date=D(2023, 6, 30),
    )

    grigorieva = EmployeeFactory(
        surname="Григорьева",
        position=Position.SPEECH_THERAPIST,
        education_level=EducationLevel.SECONDARY_VOCATIONAL,
        education_pedagogical=False,
        birth_date=D(1996, 3, 2),  # turns 30 the next day: under 30
        experience_start=D(2021, 3, 2),  # a day short of 5 years: under 5
        hire_date=D(2021, 3, 2),
    )
    CategoryDecisionFactory(employee=grigorieva, category=Category.FIRST, decision_date=D(2022, 1, 15))
    # 16 hours, ended exactly 5 years before the date: still counts, and it was on ФГОС.
    TrainingFactory(
        employee=grigorieva, hours=16, start_date=D(2021, 2, 25), end_date=D(2021, 3, 1), on_fgos=True
    )

    # Nothing known about her education, experience or age: counted in 1.7 only, and listed as gaps.
    dmitrieva = EmployeeFactory(
        surname="Дмитриева",
        position=Position.EDUCATOR,
        education_level="",
        birth_date=None,
        experience_start=None,
        hire_date=D(2025, 9, 1),
    )
    # Still under way on the date: not yet completed.
    TrainingFactory(employee=dmitrieva, hours=72, start_date=D(2026, 2, 20), end_date=D(2026, 3, 10))

    head = EmployeeFactory(
        surname="Егорова",
        position=Position.HEAD,  # administrative: only in 1.12 and 1.13
        education_level=EducationLevel.HIGHER,
        education_pedagogical=True,
        birth_date=D(1965, 1, 1),
        experience_start=D(1988, 9, 1),
        hire_date=D(2005, 9, 1),
    )
    CategoryDecisionFactory(employee=head, category=Category.HIGHEST, decision_date=D(2024, 1, 10))
    TrainingFactory(employee=head, hours=72, start_date=D(2024, 10, 1), end_date=D(2024, 11, 1), on_fgos=True)

    dismissed = EmployeeFactory(
        surname="Жукова",
        position=Position.PSYCHOLOGIST,
        education_level=EducationLevel.HIGHER,
        education_pedagogical=True,
        birth_date=D(2000, 1, 1),
        experience_start=D(2023, 9, 1),
        hire_date=D(2023, 9, 1),
        dismissal_date=D(2026, 2, 27),
    )
    CategoryDecisionFactory(employee=dismissed, category=Category.FIRST, decision_date=D(2025, 2, 1))
    TrainingFactory(employee=dismissed, hours=72, end_date=D(2025, 1, 24), on_fgos=True)

    EmployeeFactory(  # hired the day after
        surname="Зайцева",
        position=Position.DEFECTOLOGIST,
        education_level=EducationLevel.HIGHER,
        education_pedagogical=True,
        birth_date=D(1998, 1, 1),
        experience_start=D(2020, 9, 1),
        hire_date=D(2026, 3, 2),
    )

    KindergartenGroupFactory(name="Солнышко", pupils=20)
    KindergartenGroupFactory(name="Ромашка", pupils=18)
    KindergartenGroupFactory(name="Колокольчик", pupils=19)
    KindergartenGroupFactory(name="Капелька", pupils=None)


def by_number(evaluation):
    """The order's numbered indicators (the lines without a number are the portal's own)."""
    return {row.number: row for row in evaluation.indicators if row.number}


EXPECTED = {
    # number: (count, share %) with 5 pedagogical staff; 1.12 and 1.13 of 6 (with the head)
    "1.7": (5, None),
    "1.7.1": (2, Decimal("40.0")),
    "1.7.2": (1, Decimal("20.0")),
    "1.7.3": (2, Decimal("40.0")),
    "1.7.4": (1, Decimal("20.0")),
    "1.8": (3, Decimal("60.0")),
    "1.8.1": (1, Decimal("20.0")),
    "1.8.2": (2, Decimal("40.0")),
    "1.9.1": (2, Decimal("40.0")),
    "1.9.2": (1, Decimal("20.0")),
    "1.10": (2, Decimal("40.0")),
    "1.11": (2, Decimal("40.0")),
    "1.12": (4, Decimal("66.7")),
    "1.13": (3, Decimal("50.0")),
}
SPECIALISTS = {
    "1.15.1": True,  # music director Белова
    "1.15.2": False,  # no PE instructor
    "1.15.3": True,  # speech therapist teacher Григорьева
    "1.15.4": False,  # no «логопед» post
    "1.15.5": False,  # the special-needs teacher starts the next day
    "1.15.6": False,  # the psychologist was dismissed before
}


def test_every_indicator_matches_the_hand_count():
    small_staff()
    rows = by_number(self_evaluation_indicators(on=ON))
    assert {n: (rows[n].count, rows[n].share) for n in EXPECTED} == EXPECTED
    assert rows["1.14"].pupils_per_teacher == Decimal("11.4")  # 57 pupils / 5
    assert {n: rows[n].present for n in SPECIALISTS} == SPECIALISTS
    assert list(rows) == [
        "1.7",
        "1.7.1",
        "1.7.2",
        "1.7.3",
        "1.7.4",
        "1.8",
        "1.8.1",
        "1.8.2",
        "1.9",
        "1.9.1",
        "1.9.2",
        "1.10",
        "1.11",
        "1.12",
        "1.13",
        "1.14",
        "1.15",
        *SPECIALISTS,
    ]


def test_gaps_name_what_is_missing():
    small_staff()
    with translation.override("en"):
        gaps = [(str(message), count) for message, count in self_evaluation_indicators(on=ON).gaps]
    assert gaps == [
        ("pedagogical staff without an education level", 1),
        ("pedagogical staff without the date their experience began", 1),
        ("pedagogical staff without a date of birth", 1),
        ("groups without the number of pupils", 1),
    ]


def test_a_year_earlier_the_dismissed_psychologist_counts_and_the_newcomers_do_not():
    small_staff()
    rows = by_number(self_evaluation_indicators(on=D(2025, 3, 1)))
    # Антонова, Белова, Васильева, Григорьева, Жукова (Дмитриева hired 01.09.2025, Зайцева 2026).
    assert rows["1.7"].count == 5
    assert rows["1.15.6"].present is True
    # Жукова: first category from 01.02.2025.
    assert (rows["1.8.2"].count, rows["1.8.2"].share) == (3, Decimal("60.0"))


def test_a_course_without_hours_on_record_counts_as_course_training():
    teacher = EmployeeFactory(hire_date=D(2020, 1, 1))
    TrainingFactory(employee=teacher, hours=None, end_date=D(2025, 1, 24))
    assert by_number(self_evaluation_indicators(on=ON))["1.12"].count == 1


def test_ratio_and_yes_no_read_as_the_order_writes_them():
    small_staff()
    rows = by_number(self_evaluation_indicators(on=ON))
    with translation.override("ru"):
        assert rows["1.14"].value == "1/11,4"
        assert rows["1.15.1"].value == "да"
        assert rows["1.15.2"].value == "нет"
    assert rows["1.7.1"].value == 2
    assert rows["1.9"].value is None  # a heading


def test_empty_kindergarten_has_no_shares_and_no_ratio():
    rows = by_number(self_evaluation_indicators(on=ON))
    assert (rows["1.7"].count, rows["1.7.1"].count, rows["1.7.1"].share) == (0, 0, None)
    assert rows["1.14"].pupils_per_teacher is None


def test_query_count_does_not_grow_with_the_staff(django_assert_num_queries):
    EmployeeFactory(hire_date=D(2020, 1, 1))
    with django_assert_num_queries(2):  # staff with education, courses and category; the pupils
        self_evaluation_indicators(on=ON)
    small_staff()
    with django_assert_num_queries(2):  # staff with education, courses and category; the pupils
        rows = by_number(self_evaluation_indicators(on=ON))
    assert rows["1.7"].count == 6


def _page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff:self_evaluation"), {"on": "2026-03-01"})
    assert response.status_code == 200
    return len(queries), response


def test_page_shows_the_table_with_constant_queries(client, senior):
    client.force_login(senior)
    EmployeeFactory(hire_date=D(2020, 1, 1))
    few, _response = _page_queries(client)
    small_staff()
    many, response = _page_queries(client)
    assert few == many
    body = response.content.decode()
    assert 'value="2026-03-01"' in body
    assert len(response.context["evaluation"].indicators) == 26
    # One more educator without a course: 6 pedagogical staff; 1.12 is 4 of 7 with the head.
    row_1_7 = re.search(r'<tr data-number="1.7">(.*?)</tr>', body, re.S).group(1)
    assert '<td class="text-end" data-test="value">6</td>' in row_1_7
    row_1_12 = re.search(r'<tr data-number="1.12">(.*?)</tr>', body, re.S).group(1)
    assert '<td class="text-end" data-test="value">4</td>' in row_1_12
    assert '<td class="text-end" data-test="share">57,1</td>' in row_1_12


def test_categories_add_up_to_the_staff_with_titles_within_the_highest(db):
    """Each teacher in one category: highest (a methodologist and a mentor among them), first or
    none add up to 1.7, and their shares to 100."""
    small_staff()
    methodist = teacher_with_category(Category.HIGHEST, surname="Методистова", hire_date=D(2020, 1, 1))
    CategoryDecisionFactory(employee=methodist, category=Category.METHODIST, decision_date=D(2024, 5, 1))
    mentor = teacher_with_category(Category.HIGHEST, surname="Наставникова", hire_date=D(2020, 1, 1))
    CategoryDecisionFactory(employee=mentor, category=Category.MENTOR, decision_date=D(2024, 5, 1))
    evaluation = self_evaluation_indicators(on=ON)
    rows = by_number(evaluation)
    (none,) = [
        r for r in evaluation.indicators if r.title == _("Pedagogical staff without a qualification category")
    ]
    titles = {r.title: r.count for r in evaluation.indicators if not r.number and r.depth == 3}
    assert rows["1.7"].count == 7
    assert (rows["1.8.1"].count, rows["1.8.2"].count, none.count) == (3, 2, 2)
    assert rows["1.8.1"].count + rows["1.8.2"].count + none.count == rows["1.7"].count
    assert rows["1.8.1"].share + rows["1.8.2"].share + none.share == 100  # 42.8 + 28.6 + 28.6
    assert rows["1.8"].share == rows["1.8.1"].share + rows["1.8.2"].share
    assert titles == {
        _("including %(title)s") % {"title": Category.METHODIST.label}: 1,
        _("including %(title)s") % {"title": Category.MENTOR.label}: 1,
    }


def test_page_defaults_to_today(client, head):
    client.force_login(head)
    response = client.get(reverse("staff:self_evaluation"))
    assert response.status_code == 200
    assert response.context["evaluation"].on == datetime.date.today()


@pytest.mark.parametrize(
    "on,error",
    [
        ("31.02.2026", "Введите правильную дату."),
        # A real date without staff records to speak of: 5 years before it leave the calendar.
        ("01.01.0001", "Укажите дату с 01.01.1950 по 31.12.2100."),
        ("31.12.9999", "Укажите дату с 01.01.1950 по 31.12.2100."),
    ],
)
def test_page_with_a_bad_date_is_a_400_with_the_error_and_no_table(client, head, on, error):
    client.force_login(head)
    response = client.get(reverse("staff:self_evaluation"), {"on": on})
    assert response.status_code == 400
    assert response.context["evaluation"] is None
    assert response.context["form"].errors["on"] == [error]
    assert error in response.content.decode()
    assert client.get(reverse("staff:self_evaluation_xlsx"), {"on": "nonsense"}).status_code == 404


def test_xlsx_has_the_same_figures(client, senior):
    small_staff()
    client.force_login(senior)
    response = client.get(reverse("staff:self_evaluation_xlsx"), {"on": "2026-03-01"})
    assert response.status_code == 200
    assert "01.03.2026" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title.endswith("01.03.2026")
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if str(r[0]).startswith("1.")}
    assert list(rows) == list(by_number(self_evaluation_indicators(on=ON)))
    for number, (count, share) in EXPECTED.items():
        assert rows[number][1] == count, number
        assert rows[number][2] == (float(share) if share is not None else None), number
    assert rows["1.14"][1] == "1/11,4"
    assert {n: rows[n][1] for n in SPECIALISTS} == {n: "да" if v else "нет" for n, v in SPECIALISTS.items()}


def test_birth_date_is_on_no_public_page_and_not_on_her_own_page(client, anna, boris):
    employee = staff_record(anna)
    employee.birth_date = D(1987, 11, 23)
    employee.save()
    site = published_site(employee, slug="antonova")
    for url in (reverse("site:index"), reverse("site:page", args=[site.slug])):
        body = client.get(url).content.decode()
        assert "Антонова" in body, url
        assert "23.11.1987" not in body and "1987-11-23" not in body and "1987" not in body, url
    client.force_login(anna)
    body = client.get(reverse("staff:my_page")).content.decode()
    assert "Антонова" in body and "1987" not in body


def test_admin_shows_and_saves_the_new_fields(client, senior):
    client.force_login(senior)
    employee = EmployeeFactory(birth_date=D(1987, 11, 23))
    body = client.get(reverse("admin:staff_employee_change", args=[employee.pk])).content.decode()
    assert 'name="birth_date"' in body and "23.11.1987" in body
    assert 'name="education_pedagogical"' in body
    assert 'name="trainings-__prefix__-on_fgos"' in body
    group_page = client.get(reverse("admin:staff_kindergartengroup_add")).content.decode()
    assert 'name="pupils"' in group_page


def test_staff_list_links_the_indicators_for_head_and_senior(client, head):
    client.force_login(head)
    body = client.get(reverse("admin:staff_employee_changelist")).content.decode()
    assert reverse("staff:self_evaluation") in body
    assert reverse("staff:self_evaluation") in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("counts", "places", "shares"),
    [
        ([9, 10, 2], 0, ["43", "48", "9"]),  # 42.86, 47.62, 9.52: rounded each, 101
        ([1, 1, 1], 1, ["33.4", "33.3", "33.3"]),
        ([3, 0], 1, ["100.0", "0.0"]),
        ([0, 0], 0, ["0", "0"]),
    ],
)
def test_rounded_shares_add_up_to_100(counts, places, shares):
    assert [str(s) for s in rounded_shares(counts, places)] == shares
