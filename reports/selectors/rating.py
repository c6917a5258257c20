"""Reads for the rating: the teachers, their points summed in the database, the lines of a build.

A fixed number of queries whatever the number of teachers and entries: the scoring table, the
criteria, the teachers with their category (one query) and the entries summed per teacher and item
in the database (one query).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
)
from django.utils import timezone

from portfolios.models import ITEM_ORDER, PortfolioEntry
from staff import academic
from staff.models import (
    BASE_CATEGORIES,
    Employee,
    base_category,
    category_group_label,
    is_young_teacher,
)
from staff.selectors import (
    category_group_expression,
)

from ..models import (
    DIRECTIONS,
    AcademicYear,
    RatingBuild,
    RatingRow,
    direction_of,
)
from ..scoring import (
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


def rating_teachers(as_of: datetime.date, organization=None):
    """Staff on the books on that date as tuples (pk, full name, position, experience start,
    category group on that date, "methodist" for highest + methodologist): one query, and no model
    instances for thousands of rows. In no particular order (the rating ranks them)."""
    staff = Employee.objects.current(on=as_of)
    if organization is not None:
        staff = staff.filter(organization=organization)
    rows = (
        staff.annotate(category_now=category_group_expression(as_of))
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


def rating_sums(*, year: AcademicYear, rules, organization=None) -> dict[int, tuple]:
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
    entries = approved_entries_of_year(year)
    if organization is not None:
        entries = entries.filter(teacher__organization=organization)
    sums = (
        entries.values_list("teacher_id")
        .annotate(n=Count("id"), top=Max(level_rank_expression()), **points)
        .order_by()
    )
    # Read the tuples straight from the cursor, skipping the ORM's per-row converters (the values
    # are plain integers already).
    sql, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: row for row in cursor.fetchall()}


def rating_lines(
    *, year: AcademicYear, as_of: datetime.date, organization=None
) -> tuple[list[RatingLine], int]:
    """The year's rating lines with their points (not yet recommended, ranked or stored), and the
    number of entries counted: the kindergarten's teachers under its scoring table."""
    rules = ordered_rules(organization=organization)
    teachers = rating_teachers(as_of, organization)
    sums = rating_sums(year=year, rules=rules, organization=organization)
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
