"""Builders for report tests: approved entries of any item, teachers with a category, a small year."""

import datetime

from django.utils import timezone

from portfolios.models import EntryKind, EntryStatus, ReportItem
from reports.services import academic_year_ensure
from staff.academic import AcademicYear
from staff.models import Category
from tests.factories import CategoryDecisionFactory, EmployeeFactory
from tests.portfolios.factories import EntryFactory

YEAR_START = 2025  # the academic year 2025/2026 of the hand-scored tests

KINDS = {
    ReportItem.COURSE_TRAINING: EntryKind.COURSE,
    ReportItem.SELF_EDUCATION: EntryKind.EVENT_ATTENDED,
    ReportItem.AWARDS: EntryKind.GRATITUDE,
    ReportItem.METHODOLOGICAL: EntryKind.SPEECH,
    ReportItem.EXPERIENCE_SHARING: EntryKind.MASTER_CLASS,
    ReportItem.COMPETITIONS: EntryKind.COMPETITION_RESULT,
    ReportItem.PUPILS: EntryKind.PUPILS_RESULT,
}


def year(start=YEAR_START):
    """The stored record of the academic year starting in `start`."""
    return academic_year_ensure(year=AcademicYear(start))


def current_year(day=None):
    """The stored record of the academic year of `day`, today by default."""
    return academic_year_ensure(year=AcademicYear.of(day) if day else AcademicYear.current())


def entry(teacher, item, *, day=datetime.date(2025, 10, 15), status=EntryStatus.APPROVED, **fields):
    fields.setdefault("kind", KINDS.get(ReportItem(item), EntryKind.OTHER))
    if item == ReportItem.PUPILS:
        fields.setdefault("pupils_count", 5)
        fields.setdefault("competition", "Городской фестиваль «Радуга талантов»")
    return EntryFactory(
        teacher=teacher,
        item=item,
        date=day,
        status=status,
        approved_at=timezone.now() if status == EntryStatus.APPROVED else None,
        **fields,
    )


def teacher_with_category(category=Category.FIRST, **fields):
    """A teacher holding `category` since 01.03.2024 (the decision's own entry falls in 2023/2024)."""
    teacher = EmployeeFactory(**fields)
    if category != Category.NONE:
        CategoryDecisionFactory(employee=teacher, category=category, decision_date=datetime.date(2024, 3, 1))
    return teacher
