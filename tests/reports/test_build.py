"""The build service: a fixed number of queries, the management command, versions kept."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from events.models import Level
from kindergarten_portal.models import Organization
from portfolios.models import ReportItem, Result
from reports.models import RatingBuild
from reports.services import rating_build
from staff.models import Category

from .factories import entry, teacher_with_category, year

TODAY = datetime.date(2026, 11, 20)
BUILD_QUERIES = (
    23  # the dashboard figures read conformity decisions and leaves too (states); its kindergarten
)


def _teachers_with_entries(count, per_teacher):
    Organization.objects.own_or_create()  # the kindergarten whose teachers they are
    categories = [Category.HIGHEST, Category.FIRST, Category.NONE]
    for index in range(count):
        teacher = teacher_with_category(categories[index % 3])
        for n in range(per_teacher):
            item = [ReportItem.COMPETITIONS, ReportItem.SELF_EDUCATION, ReportItem.COURSE_TRAINING][n % 3]
            entry(
                teacher,
                item,
                level=Level.MUNICIPAL,
                result=Result.WINNER if item == ReportItem.COMPETITIONS else "",
                hours=72 if item == ReportItem.COURSE_TRAINING else None,
            )


@pytest.mark.parametrize("teachers,per_teacher", [(1, 1), (12, 9)])
def test_build_runs_a_fixed_number_of_queries(db, django_assert_num_queries, teachers, per_teacher):
    _teachers_with_entries(teachers, per_teacher)
    academic_year = year()
    with django_assert_num_queries(BUILD_QUERIES):
        build = rating_build(year=academic_year, today=TODAY)
    assert build.teachers_count == teachers
    assert build.entries_count == teachers * per_teacher
    assert build.rows.count() == teachers
    assert build.workbook.name.endswith(".xlsx")


def test_build_without_workbook_is_a_handful_of_aggregates(db, django_assert_num_queries):
    _teachers_with_entries(10, 6)
    academic_year = year()
    with django_assert_num_queries(10):  # its kindergarten read: one query
        rating_build(year=academic_year, today=TODAY, workbook=False)


def test_command_builds_a_version_and_writes_the_workbook(db, tmp_path):
    _teachers_with_entries(3, 3)
    output = tmp_path / "rating.xlsx"
    call_command("build_rating", "--year", "2025/2026", "--output", str(output))
    build = RatingBuild.objects.get()
    assert build.academic_year.label == "2025/2026"
    assert build.built_by is None
    workbook = load_workbook(output)
    assert workbook.sheetnames[0] == "Рейтинг"
    assert workbook["Рейтинг"].max_row >= 4
    call_command("build_rating", "--year", "2025/2026")
    assert RatingBuild.objects.count() == 2


@pytest.mark.parametrize("bad", ["2025", "2025/2027", "abc/def"])
def test_command_refuses_a_malformed_year(db, bad):
    with pytest.raises(CommandError, match="2025/2026"):
        call_command("build_rating", "--year", bad)
    assert not RatingBuild.objects.exists()


def test_command_refuses_an_output_that_is_not_xlsx(db, tmp_path):
    with pytest.raises(CommandError, match="xlsx"):
        call_command("build_rating", "--year", "2025/2026", "--output", str(tmp_path / "rating.csv"))
