"""Reads for self-reports: what a teacher's report holds (live or as submitted), rosters, deadlines."""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
)

from portfolios.models import ITEM_ORDER
from staff.models import (
    Employee,
)

from ..models import (
    AcademicYear,
    RatingBuild,
    SelfReport,
    SelfReportStatus,
)
from ..scoring import (
    ZERO,
    entry_points,
    ordered_rules,
)
from .rating import approved_entries_of_year, as_of_for


def self_report_live_content(*, teacher, year: AcademicYear, rules=None) -> dict:
    """The report's lines read from the year's approved entries: items with entries and points."""
    rules = ordered_rules(rules)
    entries = approved_entries_of_year(year).filter(teacher=teacher).order_by("date", "pk")
    grouped = defaultdict(list)
    for entry in entries:
        grouped[entry.item].append(entry)
    items = []
    for item in ITEM_ORDER:
        lines = []
        for entry in grouped.get(item, ()):
            points = entry_points(
                rules, item=entry.item, level=entry.level, result=entry.result, hours=entry.hours
            )
            lines.append(
                {
                    "title": entry.title,
                    "date": entry.date.isoformat(),
                    "kind": entry.kind,
                    "level": entry.level,
                    "result": entry.result,
                    "organizer": entry.organizer,
                    "hours": entry.hours,
                    "pupils_count": entry.pupils_count,
                    "competition": entry.competition,
                    "points": str(points),
                }
            )
        items.append(
            {
                "item": item,
                "entries": lines,
                "points": str(sum((Decimal(line["points"]) for line in lines), ZERO)),
            }
        )
    total = sum((Decimal(i["points"]) for i in items), ZERO)
    return {"items": items, "total": str(total)}


def self_report_content(report: SelfReport) -> dict:
    """What the report shows: its snapshot once accepted, else the live lines."""
    if report.snapshot is not None:
        return report.snapshot
    return self_report_live_content(teacher=report.teacher, year=report.academic_year)


def self_report_roster(year: AcademicYear):
    """The teachers of the year's self-report list, by name, each with `year_reports` (her report of
    the year in a list of 0 or 1): the staff on the books on the year's reading date (today, or its
    last day once over) and whoever has a report of the year though she has left since. A queryset,
    to be read a page at a time (one query for the page, one for its reports)."""
    of_year = SelfReport.objects.filter(academic_year=year)
    teachers = Employee.objects.current(on=as_of_for(year)) | Employee.objects.filter(
        pk__in=of_year.values("teacher_id")
    )
    return teachers.order_by("surname", "name", "patronymic", "pk").prefetch_related(
        Prefetch("self_reports", queryset=of_year, to_attr="year_reports")
    )


def self_report_status_counts(year: AcademicYear) -> dict[str, int]:
    """{status: reports of the year} (one query); statuses without a report are left out."""
    rows = SelfReport.objects.filter(academic_year=year).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def academic_years_reported(current: AcademicYear):
    """The years that have a self-report or a rating build, and the current one; latest first."""
    return AcademicYear.objects.filter(
        Q(pk=current.pk)
        | Exists(SelfReport.objects.filter(academic_year=OuterRef("pk")))
        | Exists(RatingBuild.objects.filter(academic_year=OuterRef("pk")))
    ).order_by("-start_year")


def self_reports_of_teacher(teacher):
    return SelfReport.objects.filter(teacher=teacher).select_related("academic_year")


def self_report_deadline(year) -> datetime.date:
    """The day the year's self-report is due: SELF_REPORT_DEADLINE ("MM-DD") within the academic
    year (a September–December day in its first calendar year, others in the second). 29 February
    falls on the 28th in other years."""
    month, day = (int(part) for part in settings.SELF_REPORT_DEADLINE.split("-"))
    calendar_year = year.start_year if month >= 9 else year.start_year + 1
    if month == 2 and day == 29 and not calendar.isleap(calendar_year):
        day = 28
    return datetime.date(calendar_year, month, day)


def self_report_of(*, teacher, year) -> SelfReport | None:
    """The teacher's report of the academic year (period or stored record), or None if not started."""
    return SelfReport.objects.filter(teacher=teacher, academic_year__start_year=year.start_year).first()


def self_reports_awaiting_review():
    """[{"academic_year__start_year": 2025, "n": 3}, …]: submitted reports per academic year, latest
    year first (one query)."""
    return (
        SelfReport.objects.filter(status=SelfReportStatus.SUBMITTED)
        .values("academic_year__start_year")
        .annotate(n=Count("pk"))
        .order_by("-academic_year__start_year")
    )
