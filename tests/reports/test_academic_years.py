"""The stored record of an academic year takes its dates and label from staff.academic; only a
service creates it."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from events.models import Series
from reports.models import AcademicYear, RatingBuild
from reports.services import academic_year_ensure
from staff import academic


def test_record_created_once_and_its_dates_come_from_the_period(db):
    record = academic_year_ensure(year=academic.AcademicYear(2025))
    assert academic_year_ensure(year=academic.AcademicYear.of(datetime.date(2026, 8, 31))) == record
    assert AcademicYear.objects.count() == 1
    assert record.period == academic.AcademicYear(2025)
    assert (str(record), record.label, record.start, record.end) == (
        "2025/2026",
        "2025/2026",
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )
    assert record.contains(datetime.date(2026, 8, 31)) and not record.contains(datetime.date(2025, 8, 31))
    assert not record.is_current or academic.AcademicYear.current() == academic.AcademicYear(2025)


def test_series_shows_its_year_as_a_label(db):
    assert Series(theme="Игра", academic_year=2025).academic_year_display == "2025/2026"


def test_build_rating_command_makes_the_year_it_is_given(db):
    call_command("build_rating", year="2019/2020", stdout=io.StringIO())
    build = RatingBuild.objects.select_related("academic_year").get()
    assert build.academic_year.start_year == 2019
    with pytest.raises(CommandError, match="2025/2027"):
        call_command("build_rating", year="2025/2027")
    assert AcademicYear.objects.count() == 1
