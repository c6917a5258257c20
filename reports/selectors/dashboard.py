"""Reads for the head's dashboard and the workbook's figures: categories counted once, courses,
attestation dues, events of the year, the gratitude list."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from events.models import Event, EventStatus, Level, Participation, ParticipationRole, ParticipationStatus
from staff import academic
from staff.dates import add_months, add_years
from staff.indicators import rounded_shares
from staff.models import (
    BASE_CATEGORIES,
    TITLE_CATEGORIES,
    Employee,
    Training,
    base_category,
    further_education_q,
    is_young_teacher,
)
from staff.selectors import (
    ATTESTATION_KINDS,
    attestation_state,
    category_group_expression,
    due_keys_within,
    dues_of_keys,
    employees_with_dues,
)

from ..models import (
    AcademicYear,
)

# ---------------------------------------------------------------- staff figures


@dataclass(frozen=True)
class CategoryDistribution:
    """How many teachers hold each qualification category: every teacher counted once."""

    categories: list  # [(base category, teachers)]: highest, first, none — they add up to the staff
    titles: list  # [(title, teachers)]: methodologist, mentor — held within the highest, not added

    @property
    def total(self) -> int:
        return sum(n for _category, n in self.categories)

    def shares(self, places: int = 0) -> list[Decimal]:
        """The categories' shares in percent, rounded so that they add up to 100."""
        return rounded_shares([n for _category, n in self.categories], places)


def category_distribution(groups) -> CategoryDistribution:
    """Every base category (highest, first, none) with its teachers, and the titles within the
    highest, from each teacher's group code among CATEGORY_GROUPS (a build's rows, or staff's
    `category_group_now`). A methodologist or mentor is counted once, in the highest."""
    counts = Counter(groups)
    bases = Counter()
    for group, n in counts.items():
        bases[base_category(group)] += n
    return CategoryDistribution(
        categories=[(category.value, bases[category]) for category in BASE_CATEGORIES],
        titles=[(title.value, counts[title]) for title in TITLE_CATEGORIES],
    )


def course_hours_since(employee, cutoff: datetime.date) -> int:
    """Hours of the training that counts for the course rule, ended after `cutoff`."""
    return sum(
        t.hours or 0
        for t in employee.trainings.all()
        if t.counts_for_course_rule and t.end_date and t.end_date > cutoff
    )


def course_coverage(employees, as_of) -> tuple[int, int]:
    """(teachers covered by the course rule on that date, teachers)."""
    covered = sum(1 for e in employees if e.course_covered_on(as_of))
    return covered, len(employees)


def attestations_due(employees, as_of, months=12) -> list:
    """The attestation dues (category application, conformity) of these employees (read with the
    prefetches of `employees_with_dues` and their conformity decisions and leaves) whose day to act
    falls within `months` of `as_of`, overdue ones included, soonest first: their attestation
    states' dues (staff.selectors.attestation_state), nothing computed here."""
    until = add_months(as_of, months)
    due = [
        d
        for e in employees
        for d in attestation_state(e, on=as_of).dues
        if d.kind in ATTESTATION_KINDS and d.action_date <= until
    ]
    return sorted(due, key=lambda d: (d.action_date, d.employee.full_name, d.employee.pk, d.kind))


@dataclass
class DashboardFigures:
    """The staff figures of a year on one date, as the dashboard and the workbook show them."""

    year: AcademicYear
    as_of: datetime.date
    employees: list  # from `employees_with_dues`: categories, dues and trainings at hand
    distribution: CategoryDistribution  # each teacher in one category; the titles within the highest
    young: int
    covered: int  # teachers with course training in the last COURSE_PERIOD_YEARS
    staff_total: int
    due: list  # attestation dues (staff.selectors.Due) in the next 12 months and overdue, soonest first
    # (the first `due_rows` if asked)
    due_total: int  # all of them

    @property
    def categories(self) -> list:
        """[(base category, teachers)]: highest, first, none; they add up to `staff_total`."""
        return self.distribution.categories

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.covered / self.staff_total) if self.staff_total else 0

    @cached_property
    def months(self) -> list[tuple[datetime.date, int, int]]:
        """The year's events per month (one query, on first use: the workbook lists the events)."""
        return events_per_month(self.year)


def dashboard_figures(
    *, year: AcademicYear, as_of: datetime.date, teacher_ids=None, figures_only=False, due_rows=None
) -> DashboardFigures:
    """The figures of the staff on the books on `as_of` (or of the given teachers: a build's) for
    the dashboard and the workbook: categories, young teachers, course coverage, attestations due.
    Four queries, whatever the number of teachers (five once `months` is read).

    With `figures_only` (the dashboard, the head's home page) two queries, counted in the database:
    the figures grouped by category, and the attestations due (the first `due_rows` of them, with
    their total); no employees are read (`employees` is empty)."""
    if teacher_ids is None:
        teachers = Employee.objects.current(on=as_of)
    else:
        teachers = Employee.objects.filter(pk__in=teacher_ids)
    if figures_only:
        return _figures_counted(year=year, as_of=as_of, teachers=teachers, due_rows=due_rows)
    employees = list(
        employees_with_dues(teachers, on=as_of).prefetch_related("conformity_decisions", "leaves")
    )
    covered, total = course_coverage(employees, as_of)
    due = attestations_due(employees, as_of)
    return DashboardFigures(
        year=year,
        as_of=as_of,
        employees=employees,
        distribution=category_distribution(e.category_group_now for e in employees),
        young=sum(1 for e in employees if e.is_young_teacher_on(as_of)),
        covered=covered,
        staff_total=total,
        due=due[:due_rows] if due_rows is not None else due,
        due_total=len(due),
    )


def _latest_date(holds, near: datetime.date) -> datetime.date:
    """The latest date around `near` (within a few days) for which `holds(date)` is true, where
    `holds` is true up to some date and false after it: the SQL bound of a rule kept in Python."""
    day = near + datetime.timedelta(days=4)
    while not holds(day):
        day -= datetime.timedelta(days=1)
    return day


def _figures_counted(*, year, as_of, teachers, due_rows):
    """dashboard_figures(figures_only=True): two queries, nothing per teacher read into Python."""
    young_years, course_years = settings.YOUNG_TEACHER_YEARS, settings.COURSE_PERIOD_YEARS
    # Young (is_young_teacher): no start on record, or fewer than the full years by `as_of`.
    not_young_from = _latest_date(
        lambda start: not is_young_teacher(start, as_of), add_years(as_of, -young_years)
    )
    # Covered (Employee.course_covered_on): a counted training whose end + the period is after `as_of`.
    stale_until = _latest_date(
        lambda end: add_years(end, course_years) <= as_of, add_years(as_of, -course_years)
    )
    recent_course = Training.objects.filter(
        further_education_q(), employee=OuterRef("pk"), end_date__gt=stale_until
    )
    grouped = (
        teachers.annotate(group=category_group_expression(as_of))
        .values("group")
        .annotate(
            n=Count("pk"),
            young=Count(
                "pk", filter=Q(experience_start__isnull=True) | Q(experience_start__gt=not_young_from)
            ),
            covered=Count("pk", filter=Q(Exists(recent_course))),
        )
        .order_by()
    )
    counts, young, covered = Counter(), 0, 0
    for row in grouped:
        counts[row["group"]] += row["n"]
        young += row["young"]
        covered += row["covered"]
    # The attestation dues in 12 months and the overdue, soonest first (attestations_due), with their
    # total: the keys of the dues in five queries, the texts of the rows shown in five more.
    keys = due_keys_within(on=as_of, until=add_months(as_of, 12), kinds=ATTESTATION_KINDS, employees=teachers)
    due = dues_of_keys(keys[:due_rows], on=as_of) if due_rows else []
    due_total = len(keys)
    return DashboardFigures(
        year=year,
        as_of=as_of,
        employees=[],
        distribution=category_distribution(counts.elements()),
        young=young,
        covered=covered,
        staff_total=sum(counts.values()),
        due=due,
        due_total=due_total,
    )


# ---------------------------------------------------------------- events


def events_of_year(year: academic.AcademicYear):
    """Held and planned events of the year, with organizer and attended teachers (three queries)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(year.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(year.end, datetime.time.max, tzinfo=tz)
    attended = Participation.objects.filter(status=ParticipationStatus.ATTENDED).select_related("teacher")
    return (
        Event.objects.filter(
            start__gte=start, start__lte=end, status__in=[EventStatus.HELD, EventStatus.PLANNED]
        )
        .select_related("organizer")
        .prefetch_related(Prefetch("participations", queryset=attended, to_attr="attended"))
        .order_by("start", "pk")
    )


def events_per_month(year: academic.AcademicYear) -> list[tuple[datetime.date, int, int]]:
    """[(first day of month, events, teachers attended)] for each month of the year (one query)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(year.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(year.end, datetime.time.max, tzinfo=tz)
    # Attendance counted per event in a subquery and summed per month: a JOIN with the participations
    # would sort every participation of the year to count the events distinct (75 ms -> 14 ms at a
    # city's 150 000 participations).
    attended = (
        Participation.objects.filter(event=OuterRef("pk"), status=ParticipationStatus.ATTENDED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Event.objects.filter(
            start__gte=start, start__lte=end, status__in=[EventStatus.HELD, EventStatus.PLANNED]
        )
        .annotate(month=TruncMonth("start", tzinfo=tz), attended_here=Coalesce(Subquery(attended), 0))
        .values("month")
        .annotate(events=Count("id"), attended=Sum("attended_here"))
        .order_by("month")
    )
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month, tz).date() if timezone.is_aware(month) else month.date()
        found[month.replace(day=1)] = (row["events"], row["attended"])
    months = [add_months(year.start, n) for n in range(12)]
    return [(month, *found.get(month, (0, 0))) for month in months]


def gratitude_list(year: academic.AcademicYear):
    """Teachers who organized internal (our kindergarten's) or city-level events of the year."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(year.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(year.end, datetime.time.max, tzinfo=tz)
    return (
        Participation.objects.filter(
            role=ParticipationRole.ORGANIZER,
            status__in=[ParticipationStatus.ATTENDED, ParticipationStatus.SIGNED_UP],
            event__status=EventStatus.HELD,
            event__start__gte=start,
            event__start__lte=end,
        )
        .filter(Q(event__organizer=F("event__host")) | Q(event__level=Level.MUNICIPAL))
        .select_related("teacher", "event__organizer")
        .order_by("teacher__surname", "teacher__name", "event__start")
    )
