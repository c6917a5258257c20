"""The academic year (1 September – 31 August), as every part of the portal counts it.

One value, `AcademicYear(start_year)`: 2025 is 1 September 2025 – 31 August 2026, labelled
"2025/2026". Event series store the start year; reports keep a record per year
(`reports.AcademicYear`) whose dates and label come from here.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True, order=True)
class AcademicYear:
    start_year: int

    @classmethod
    def of(cls, day: datetime.date) -> "AcademicYear":
        """The academic year containing `day`."""
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def current(cls) -> "AcademicYear":
        """The academic year containing today's local date."""
        return cls.of(timezone.localdate())

    @classmethod
    def from_label(cls, label: str) -> "AcademicYear":
        """The year labelled "2025/2026"; ValueError for anything else."""
        first, _sep, second = label.strip().partition("/")
        # The year must have dates: 1/2 to 9998/9999.
        if (
            not (first.isdigit() and second.isdigit())
            or int(second) != int(first) + 1
            or not 1 <= int(first) < 9999
        ):
            raise ValueError(f"not an academic year: {label!r}")
        return cls(int(first))

    @property
    def label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 9, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 8, 31)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def previous(self) -> "AcademicYear":
        return AcademicYear(self.start_year - 1)

    @property
    def next(self) -> "AcademicYear":
        return AcademicYear(self.start_year + 1)

    def __str__(self):
        return self.label
