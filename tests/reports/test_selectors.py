"""Reads of the reports app: the dashboard's figures (the page and the workbook read the same)."""

import datetime

import pytest

from reports.selectors.dashboard import dashboard_figures
from staff.models import Category
from tests.factories import CategoryDecisionFactory, EmployeeFactory, TrainingFactory

from .factories import teacher_with_category, year

AS_OF = datetime.date(2025, 11, 20)


def _staff(count):
    teachers = []
    for index in range(count):
        teacher = teacher_with_category([Category.HIGHEST, Category.FIRST][index % 2])
        TrainingFactory(employee=teacher)
        teachers.append(teacher)
    return teachers


@pytest.mark.parametrize("count", [1, 7])
def test_dashboard_figures_query_count_does_not_grow(db, django_assert_num_queries, count):
    _staff(count)
    of_year = year()
    # employees with dues, their groups, decisions, trainings, conformity decisions and leaves
    with django_assert_num_queries(6):
        figures = dashboard_figures(year=of_year, as_of=AS_OF)
    assert figures.staff_total == count
    assert figures.covered == count
    with django_assert_num_queries(1):  # the events per month, only when read
        assert len(figures.months) == 12
        assert len(figures.months) == 12


def test_dashboard_figures_count_categories_young_teachers_courses_and_dues(db):
    # Highest since 20.05.2021, before the order of 2023: it ends 20.05.2026, within 12 months.
    old = EmployeeFactory(surname="Старова")
    CategoryDecisionFactory(employee=old, category=Category.HIGHEST, decision_date=datetime.date(2021, 5, 20))
    first = teacher_with_category(Category.FIRST, surname="Первова")
    TrainingFactory(employee=first, start_date=datetime.date(2023, 1, 9), end_date=datetime.date(2023, 1, 20))
    young = EmployeeFactory(surname="Молодова", experience_start=datetime.date(2024, 9, 1))
    TrainingFactory(
        employee=young, start_date=datetime.date(2022, 9, 1), end_date=datetime.date(2022, 11, 15)
    )
    EmployeeFactory(surname="Ушедшова", dismissal_date=datetime.date(2025, 10, 1))

    figures = dashboard_figures(year=year(), as_of=AS_OF)

    assert figures.categories == [("highest", 1), ("first", 1), ("none", 1)]
    assert figures.young == 1
    # Молодова's course ended before 20.11.2022: three years ago, no longer counted.
    assert (figures.covered, figures.staff_total, figures.coverage_percent) == (1, 3, 33)
    # The attestation dues of their states: Старова applies by 20.02.2026 (her highest ends
    # 20.05.2026); Молодова, hired 01.09.2016 without a category, was due for conformity on 01.09.2018.
    assert [(d.employee.surname, d.kind, d.action_date, d.overdue) for d in figures.due] == [
        ("Молодова", "conformity", datetime.date(2018, 9, 1), True),
        ("Старова", "category_ends", datetime.date(2026, 2, 20), False),
    ]
    assert sorted(e.surname for e in figures.employees) == ["Молодова", "Первова", "Старова"]


def test_dashboard_figures_of_given_teachers_only(db):
    chosen, _other = _staff(2)
    figures = dashboard_figures(year=year(), as_of=AS_OF, teacher_ids=[chosen.pk])
    assert figures.categories == [("highest", 1), ("first", 0), ("none", 0)]
    assert figures.staff_total == 1 and figures.employees == [chosen]


def test_dashboard_figures_of_nobody_are_zero(db):
    figures = dashboard_figures(year=year(), as_of=AS_OF)
    assert (figures.staff_total, figures.covered, figures.coverage_percent, figures.young) == (0, 0, 0, 0)
    assert figures.due == []


def test_dashboard_figures_only_are_the_same_in_two_queries(db, django_assert_num_queries):
    _staff(5)
    # Highest since 20.05.2021, before the order of 2023: due 20.05.2026, within 12 months.
    CategoryDecisionFactory(
        employee=EmployeeFactory(surname="Старова"),
        category=Category.HIGHEST,
        decision_date=datetime.date(2021, 5, 20),
        valid_until=datetime.date(2026, 5, 20),
    )
    EmployeeFactory(experience_start=datetime.date(2025, 9, 1))  # young, no category, no course
    of_year = year()
    full = dashboard_figures(year=of_year, as_of=AS_OF)
    # the figures grouped by category (1), the keys of the attestation dues (5)
    with django_assert_num_queries(6):
        light = dashboard_figures(year=of_year, as_of=AS_OF, figures_only=True)
    assert light.categories == full.categories and light.young == full.young
    assert (light.covered, light.staff_total) == (full.covered, full.staff_total)
    assert light.due == [] and light.due_total == len(full.due) == 2  # Старова; the young one's conformity
    assert full.young == 1 and full.staff_total == 7 and full.covered == 5


@pytest.mark.parametrize("as_of", [AS_OF, datetime.date(2028, 2, 29), datetime.date(2027, 3, 1)])
def test_dashboard_figures_counted_in_sql_draw_the_young_and_course_lines_as_python_does(db, settings, as_of):
    """The day a teacher stops being young and the day a course stops counting, 29 February included."""
    settings.YOUNG_TEACHER_YEARS, settings.COURSE_PERIOD_YEARS = 2, 3
    for shift in range(-3, 4):
        start = as_of.replace(year=as_of.year - 2, day=min(as_of.day, 28)) + datetime.timedelta(days=shift)
        teacher = EmployeeFactory(experience_start=start)
        end = as_of.replace(year=as_of.year - 3, day=min(as_of.day, 28)) + datetime.timedelta(days=shift)
        TrainingFactory(employee=teacher, start_date=end - datetime.timedelta(days=10), end_date=end)
    EmployeeFactory(experience_start=None)  # young: no start on record
    TrainingFactory(employee=EmployeeFactory(), hours=8)  # too short to count
    full = dashboard_figures(year=year(), as_of=as_of)
    light = dashboard_figures(year=year(), as_of=as_of, figures_only=True)
    assert 0 < full.young < full.staff_total and 0 < full.covered < full.staff_total
    assert (light.young, light.covered, light.staff_total) == (full.young, full.covered, full.staff_total)


def test_dashboard_figures_only_read_the_first_due_rows_and_count_them_all(db, django_assert_num_queries):
    for n in range(5):
        CategoryDecisionFactory(
            employee=EmployeeFactory(surname=f"Должна{n}"),
            category=Category.FIRST,
            decision_date=datetime.date(2021, 6, 1 + n),
            valid_until=datetime.date(2026, 6, 1 + n),
        )
    of_year = year()
    # the figures (1), the keys of the dues (5), the texts of the three shown (5)
    with django_assert_num_queries(11):
        first = dashboard_figures(year=of_year, as_of=AS_OF, figures_only=True, due_rows=3)
    assert [d.employee.surname for d in first.due] == [
        "Должна0",
        "Должна1",
        "Должна2",
    ] and first.due_total == 5
    assert first.employees == []
    with django_assert_num_queries(6):
        counted = dashboard_figures(year=of_year, as_of=AS_OF, figures_only=True, due_rows=0)
    assert counted.due == [] and counted.due_total == 5 and counted.staff_total == 5
