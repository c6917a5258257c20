"""The one academic year: 1 September – 31 August, labelled "2025/2026"."""

import datetime

import pytest

from staff.academic import AcademicYear


def test_academic_year_runs_september_to_august():
    year = AcademicYear.of(datetime.date(2025, 9, 1))
    assert (year.start_year, year.label, str(year)) == (2025, "2025/2026", "2025/2026")
    assert (year.start, year.end) == (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))
    assert AcademicYear.of(datetime.date(2026, 8, 31)) == year
    assert AcademicYear.of(datetime.date(2025, 8, 31)) == AcademicYear(2024)
    assert year.contains(datetime.date(2026, 8, 31)) and not year.contains(datetime.date(2026, 9, 1))
    assert not year.contains(datetime.date(2025, 8, 31))
    assert (year.previous, year.next) == (AcademicYear(2024), AcademicYear(2026))


def test_academic_years_sort_oldest_first():
    assert sorted({AcademicYear(2025), AcademicYear(2019), AcademicYear(2024)}) == [
        AcademicYear(2019),
        AcademicYear(2024),
        AcademicYear(2025),
    ]


def test_academic_year_read_from_its_label():
    assert AcademicYear.from_label(" 2025/2026 ") == AcademicYear(2025)


@pytest.mark.parametrize("label", ["2025/2027", "2025", "abc", "", "0/1", "2025-2026", "-1/0"])
def test_malformed_label_refused(label):
    with pytest.raises(ValueError):
        AcademicYear.from_label(label)
