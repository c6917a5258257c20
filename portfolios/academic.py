"""The academic year (1 September – 31 August), as every report of the portal counts it."""

import datetime

from django.utils import timezone


def academic_year_start(day: datetime.date) -> int:
    """The calendar year in which the academic year containing `day` began."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_of(day: datetime.date) -> str:
    """The label of the academic year containing `day`, e.g. "2025/2026"."""
    start = academic_year_start(day)
    return f"{start}/{start + 1}"


def academic_year_range(label: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the academic year "2025/2026"; ValueError for a malformed label."""
    first, _sep, second = label.partition("/")
    start = int(first)
    if not second or int(second) != start + 1:
        raise ValueError(f"not an academic year: {label!r}")
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def current_academic_year() -> str:
    return academic_year_of(timezone.localdate())
