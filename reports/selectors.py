"""Reads for the rating, the workbook, the dashboard and self-reports.

The rating reads a fixed number of queries whatever the number of teachers and entries: the scoring
table, the criteria, the teachers with their category (one query) and the entries summed per
teacher and item in the database (one query).
"""

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from events.models import Event, EventStatus, Level, Participation, ParticipationRole, ParticipationStatus
from portfolios.models import ITEM_ORDER, PortfolioEntry
from staff import academic
from staff.dates import add_months, add_years
from staff.indicators import rounded_shares
from staff.models import (
    BASE_CATEGORIES,
    TITLE_CATEGORIES,
    Employee,
    Training,
    base_category,
    category_group_label,
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

from .models import (
    DIRECTIONS,
    AcademicYear,
    RatingBuild,
    RatingRow,
    SelfReport,
    SelfReportStatus,
    direction_of,
)
from .scoring import (
    ZERO,
    entry_points,
    item_points_expression,
    level_of_rank,
    level_rank_expression,
    ordered_rules,
    rules_by_item,
)

CATEGORY_ORDER = {category.value: index for index, category in enumerate(BASE_CATEGORIES)}
TENTH = Decimal("0.1")


# ---------------------------------------------------------------- academic years
# A `year` read only for its dates may be the period (`staff.academic.AcademicYear`) or the stored
# record (`reports.models.AcademicYear`), which has the same `start`, `end` and `label`.


def as_of_for(year: academic.AcademicYear, today: datetime.date | None = None) -> datetime.date:
    """The date categories and dues are read on: today, or the year's last day once it is over."""
    return min(today or timezone.localdate(), year.end)


def approved_entries_of_year(year: academic.AcademicYear):
    return PortfolioEntry.objects.approved().of_academic_year(year)


def rating_teachers(as_of: datetime.date):
    """Staff on the books on that date as tuples (pk, full name, position, experience start,
    category group on that date, "methodist" for highest + methodologist): one query, and no model
    instances for thousands of rows. In no particular order (the rating ranks them)."""
    rows = (
        Employee.objects.current(on=as_of)
        .annotate(category_now=category_group_expression(as_of))
        .values_list("pk", "surname", "name", "patronymic", "position", "experience_start", "category_now")
        .order_by()
    )
    return [
        (pk, " ".join(p for p in (surname, name, patronymic) if p), position, start, category)
        for pk, surname, name, patronymic, position, start, category in rows
    ]


@dataclass(slots=True)
class RatingLine:
    """One teacher's line of a build before it is stored (a RatingRow's fields, without the build).

    A plain object rather than an unsaved model: a city builds 6 000 of them and stores them with COPY.
    """

    teacher_id: int
    teacher_name: str
    position: str
    category: str
    is_young_teacher: bool
    item_points: dict
    direction_1: Decimal
    direction_2: Decimal
    direction_3: Decimal
    direction_4: Decimal
    total: Decimal
    entries_count: int
    top_level_3: str
    recommendation: str = ""  # set by scoring.rating_recommend
    criteria: list = field(default_factory=list)
    rank: int = 0  # set by scoring.rating_rank
    category_rank: int = 0

    def as_row(self, build) -> RatingRow:
        return RatingRow(build=build, **{f: getattr(self, f) for f in self.__slots__})


class KeyedCache(dict):
    """A dict that computes a missing value from its key (once) with the given function."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def rating_sums(*, year: AcademicYear, rules) -> dict[int, tuple]:
    """{teacher: (teacher, entries, top level rank under 3.x, points of each item of ITEM_ORDER in
    tenths or None without entries of that item)} over the year's approved entries: one query.

    One group per teacher, each item's points a filtered sum (`SUM(…) FILTER (WHERE item = …)`) of
    that item's own CASE: the database keeps thousands of groups rather than one per teacher and
    item, compares each entry with its own item's rules only, and sends a row per teacher.
    """
    by_item = rules_by_item(rules)
    points = {
        f"tenths_{index}": Sum(
            item_points_expression(by_item[item]) if item in by_item else Value(0),
            filter=Q(item=item),
            output_field=IntegerField(),
        )
        for index, item in enumerate(ITEM_ORDER)
    }
    sums = (
        approved_entries_of_year(year)
        .values_list("teacher_id")
        .annotate(n=Count("id"), top=Max(level_rank_expression()), **points)
        .order_by()
    )
    # Read the tuples straight from the cursor, skipping the ORM's per-row converters (the values
    # are plain integers already).
    sql, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: row for row in cursor.fetchall()}


def rating_lines(*, year: AcademicYear, as_of: datetime.date) -> tuple[list[RatingLine], int]:
    """The year's rating lines with their points (not yet recommended, ranked or stored), and the
    number of entries counted."""
    rules = ordered_rules()
    teachers = rating_teachers(as_of)
    sums = rating_sums(year=year, rules=rules)
    no_entries = (None, 0, 0, *[None] * len(ITEM_ORDER))
    item_directions = [DIRECTIONS.index(direction_of(item)) for item in ITEM_ORDER]
    # Thousands of lines share a few hundred distinct figures: convert each once.
    decimals = KeyedCache(lambda tenths: Decimal(tenths) * TENTH)
    texts = KeyedCache(lambda tenths: str(decimals[tenths]))
    young = KeyedCache(lambda start: is_young_teacher(start, as_of))
    levels = KeyedCache(level_of_rank)

    rows = []
    entries_count = 0
    for teacher_id, full_name, position, experience_start, category in teachers:
        _teacher, count, top, *tenths = sums.get(teacher_id, no_entries)
        directions = [0, 0, 0, 0]
        item_points = {}
        for index, value in enumerate(tenths):
            if value is not None:
                directions[item_directions[index]] += value
                item_points[ITEM_ORDER[index]] = texts[value]
        entries_count += count
        rows.append(
            RatingLine(
                teacher_id=teacher_id,
                teacher_name=full_name,
                position=position,
                category=category,
                is_young_teacher=young[experience_start],
                item_points=item_points,
                direction_1=decimals[directions[0]],
                direction_2=decimals[directions[1]],
                direction_3=decimals[directions[2]],
                direction_4=decimals[directions[3]],
                total=decimals[sum(directions)],
                entries_count=count,
                top_level_3=levels[top],
            )
        )
    return rows, entries_count


def rows_grouped_by_category(rows):
    """Rating rows ordered by base qualification category (highest — its methodologists and mentors
    among them — then first, then none), then rank."""
    return sorted(
        rows, key=lambda r: (CATEGORY_ORDER.get(base_category(r.category), 99), r.rank, r.teacher_name)
    )


def rating_groups(rows) -> list[tuple[str, list]]:
    """[(base category label, its rows by rank)] for the rating grouped by category: each row in one
    group (rows_grouped_by_category's order)."""
    groups = []
    for row in rows_grouped_by_category(rows):
        label = category_group_label(base_category(row.category))
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(row)
    return groups


def latest_build(year: academic.AcademicYear | None = None) -> RatingBuild | None:
    builds = RatingBuild.objects.select_related("academic_year", "built_by")
    if year is not None:
        builds = builds.filter(academic_year__start_year=year.start_year)
    return builds.order_by("-built_at", "-pk").first()


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
        .filter(Q(event__organizer__is_own=True) | Q(event__level=Level.MUNICIPAL))
        .select_related("teacher", "event__organizer")
        .order_by("teacher__surname", "teacher__name", "event__start")
    )


# ---------------------------------------------------------------- self-reports


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
