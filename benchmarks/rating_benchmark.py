"""City-scale rating benchmark on PostgreSQL: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench .venv/bin/python benchmarks/rating_benchmark.py

Creates (once; again with --recreate) a city of 200 kindergartens of 30 teachers each (6 000
teachers) and 300 000 approved portfolio entries in one academic year with bulk inserts, then
prints: the time of one raw SQL GROUP BY over the city's entries, and over one kindergarten's (its
floor); one kindergarten's rating build, in its scope as its office's request runs, and its ratio
to its floor; the city's year-end (every kindergarten's build, one after another); the
kindergarten's workbook's time and size, the time plain openpyxl takes to write the same cells and
the workbook's ratio to it; and peak Python memory of the build and the workbook (tracemalloc,
measured in separate runs so that the timings are not slowed by it). Each time is the median of
--repeat runs; the workbook and its reference run in turns, so that load from other work weighs on
both alike.

The reference ("openpyxl's plain write-only floor for the same cells"): the workbook, written with
XlsxWriter (kindergarten_portal/sheets/xlsx_out.py), is read back with openpyxl in an untimed run, and its
cells are written with `Workbook(write_only=True)` and nothing else: the same sheets, rows and
values, and the same number formats (a date cell DD.MM.YYYY, a points cell 0.0, a share 0%: a format
is part of the value's meaning), text kept as text; no fonts, fills, alignment, widths, row heights,
frozen panes, filters, print set-up or charts. The cells read back are in memory before its clock
starts.

Targets, printed at the end as met or not: a kindergarten's build under 100 ms, the workbook within
1.3x its reference.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from common import (  # benchmarks/common.py (the scripts run from this folder)
    django_on_postgres,
    entry_facts,
    settle,
    staff_history,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ.setdefault("DEBUG", "1")

KINDERGARTENS = 200
PER_KINDERGARTEN = 30
TEACHERS = KINDERGARTENS * PER_KINDERGARTEN
ENTRIES = 300_000
YEAR = 2025  # the academic year 2025/2026
BUILD_ROUNDS = 7  # the floor and the build, in turns (see main)
BATCH = 10_000


def populate(recreate):
    from django.db import connection

    from events.models import Level
    from kindergarten_portal.models import Organization, OrganizationKind
    from portfolios.models import EntryStatus, PortfolioEntry, ReportItem, Result
    from staff.academic import AcademicYear
    from staff.models import Employee, Position

    have = PortfolioEntry.objects.count()
    placed = Employee.objects.filter(organization__slug__startswith="bench-").count()
    if have == ENTRIES and Employee.objects.count() == placed == TEACHERS and not recreate:
        print(f"data present: {TEACHERS} teachers, {ENTRIES} entries")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reports_ratingrow, reports_ratingbuild, reports_selfreport, portfolios_portfolioentry,"
            " staff_categorydecision, staff_training, staff_employee CASCADE"
        )
    rng = random.Random(2025)
    Organization.objects.filter(slug__startswith="bench-").delete()
    kindergartens = Organization.objects.bulk_create(
        [
            Organization(
                name=f"МБДОУ «Детский сад № {n + 1}»",
                slug=f"bench-{n + 1:03d}",
                kind=OrganizationKind.KINDERGARTEN,
            )
            for n in range(KINDERGARTENS)
        ]
    )
    employees = Employee.objects.bulk_create(
        [
            Employee(
                organization=kindergartens[n // PER_KINDERGARTEN],
                surname=f"Фамилия{n:05d}",
                name="Мария",
                patronymic="Ивановна",
                position=Position.EDUCATOR,
                experience_start=datetime.date(2000 + n % 25, 9, 1),
                hire_date=datetime.date(2010, 9, 1),
            )
            for n in range(TEACHERS)
        ],
        batch_size=BATCH,
    )
    staff_history(employees, batch_size=BATCH)
    items = [i.value for i in ReportItem]
    levels = [lv.value for lv in Level]
    results = [r.value for r in Result]
    start = AcademicYear(YEAR).start
    now = datetime.datetime.now(datetime.UTC)
    ids = [e.pk for e in employees]
    for offset in range(0, ENTRIES, BATCH):
        batch = []
        for _n in range(min(BATCH, ENTRIES - offset)):
            item = rng.choice(items)
            batch.append(
                PortfolioEntry(
                    teacher_id=rng.choice(ids),
                    **entry_facts(
                        rng,
                        item=item,
                        title=f"Запись портфолио {offset + _n}",
                        date=start + datetime.timedelta(days=rng.randrange(365)),
                        levels=levels,
                        results=results,
                    ),
                    status=EntryStatus.APPROVED,
                    approved_at=now,
                )
            )
            if item == "1.4":  # this benchmark's courses run 16 to 144 hours
                batch[-1].hours = rng.choice([16, 36, 72, 144])
        PortfolioEntry.objects.bulk_create(batch)
    settle()
    print(f"created {TEACHERS} teachers, {ENTRIES} entries in {time.perf_counter() - started:.1f} s")


def floor_query(year, kindergarten=None):
    """One raw GROUP BY teacher, item over the year's approved entries: the city's, or one
    kindergarten's (joined to its staff records)."""
    from django.db import connection

    sql = (
        "SELECT e.teacher_id, e.item, COUNT(*), MAX(e.level) FROM portfolios_portfolioentry e"
        " JOIN staff_employee s ON s.id = e.teacher_id"
        " WHERE e.status = 'approved' AND e.date BETWEEN %s AND %s"
        + (" AND s.organization_id = %s" if kindergarten else "")
        + " GROUP BY e.teacher_id, e.item"
    )
    params = [year.start, year.end] + ([kindergarten.pk] if kindergarten else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def read_cells(path):
    """[(sheet title, [row, ...])] of the cells of the workbook at `path`, read back with openpyxl:
    plain values as they are, a value with a number format (a date, points, a share) or text that
    looks like a formula as a FormattedValue."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    sheets = []
    try:
        for ws in workbook:
            rows = []
            for row in ws.iter_rows():
                values = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    number_format = getattr(cell, "number_format", None) or "General"
                    if number_format != "General" or (isinstance(value, str) and value[:1] == "="):
                        value = FormattedValue(value, number_format, cell.data_type)
                    values.append(value)
                while values and values[-1] is None:
                    values.pop()
                rows.append(values)
            sheets.append((ws.title, rows))
    finally:
        workbook.close()
    return sheets


class FormattedValue:
    __slots__ = ("value", "number_format", "data_type")

    def __init__(self, value, number_format, data_type):
        self.value, self.number_format, self.data_type = value, number_format, data_type


def write_reference(sheets, handle):
    """The cells read back, written with plain openpyxl (see the module's docstring)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            cells = []
            for value in row:
                if type(value) is FormattedValue:
                    cell = WriteOnlyCell(ws, value=value.value)
                    cell.number_format = value.number_format
                    if value.data_type == "s":
                        cell.data_type = "s"
                    value = cell
                cells.append(value)
            ws.append(cells)
    workbook.save(handle)


def timed(func, repeat):
    times = []
    result = None
    for _n in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def peak_mb(func):
    tracemalloc.start()
    try:
        func()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024 / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the benchmark data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--rounds", type=int, default=BUILD_ROUNDS, help="runs of the floor and the build (at least --repeat)"
    )
    args = parser.parse_args()

    django_on_postgres()
    from django.db import connection

    populate(args.recreate)

    from django_scopes import scope

    from kindergarten_portal.models import Organization
    from kindergarten_portal.tenancy import KINDERGARTEN
    from reports.exports import rating_workbook
    from reports.models import RatingBuild
    from reports.services import academic_year_ensure, rating_build
    from staff.academic import AcademicYear

    year = academic_year_ensure(year=AcademicYear(YEAR))
    today = datetime.date(YEAR + 1, 9, 15)
    kindergartens = list(Organization.objects.filter(slug__startswith="bench-").order_by("slug"))
    one = kindergartens[len(kindergartens) // 2]

    def build_of(kindergarten):
        # As the office's request (or `build_rating --organization`) runs it: in its scope.
        with scope(**{KINDERGARTEN: [kindergarten.pk]}):
            return rating_build(year=year, today=today, workbook=False, organization=kindergarten)

    city_floor_times, floor_times, build_times = [], [], []
    # In turns, as the workbooks below: the same load weighs on both. Seven rounds at least.
    rounds = max(args.repeat, args.rounds)
    for _n in range(rounds):
        city_floor_times.append(timed(lambda: floor_query(year), 1)[0])
        floor_time, groups = timed(lambda: floor_query(year, one), 1)
        floor_times.append(floor_time)
        build_time, build = timed(lambda: build_of(one), 1)
        build_times.append(build_time)
    city_floor, floor, build_time = (
        statistics.median(t) for t in (city_floor_times, floor_times, build_times)
    )
    started = time.perf_counter()
    for kindergarten in kindergartens:
        build_of(kindergarten)
    city_time = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "rating.xlsx"
        reference = Path(tmp) / "reference.xlsx"

        def write():
            with scope(**{KINDERGARTEN: [one.pk]}), target.open("wb") as handle:
                rating_workbook(build, out=handle)

        write()  # once untimed, to read its cells back for the reference
        sheets = read_cells(target)
        cells = sum(len(row) for _title, rows in sheets for row in rows)
        sheet_count = len(sheets)

        def write_plain():
            with reference.open("wb") as handle:
                write_reference(sheets, handle)

        workbook_times, reference_times = [], []
        for _n in range(args.repeat):  # in turns: the same load weighs on both
            workbook_times.append(timed(write, 1)[0])
            reference_times.append(timed(write_plain, 1)[0])
        workbook_time = statistics.median(workbook_times)
        reference_time = statistics.median(reference_times)
        size = target.stat().st_size
        reference_size = reference.stat().st_size
        sheets.clear()  # free the cells read back before the memory run
        workbook_peak = peak_mb(write)
    build_peak = peak_mb(lambda: build_of(one))
    RatingBuild.objects.filter(academic_year=year).delete()

    build_ratio = build_time / floor
    workbook_ratio = workbook_time / reference_time
    print(
        f"PostgreSQL {connection.pg_version}, {KINDERGARTENS} kindergartens x {PER_KINDERGARTEN} teachers,"
        f" {ENTRIES} approved entries"
    )
    print(f"city: raw SQL GROUP BY teacher, item       {city_floor * 1000:8.0f} ms")
    print(f"a kindergarten's floor: the same, its own  {floor * 1000:8.0f} ms ({groups} groups)")
    print(
        f"a kindergarten's rating build             {build_time * 1000:8.1f} ms  = {build_ratio:.2f}x its floor"
        f" ({build.teachers_count} teachers, {build.entries_count} entries)"
    )
    print(f"the city's year-end: {len(kindergartens)} builds in turn     {city_time:8.1f} s")
    print(f"build peak Python memory                  {build_peak:8.1f} MB")
    print(
        f"workbook ({sheet_count} sheets, {build.entries_count} detail rows)"
        f"  {workbook_time:8.1f} s, {size / 1024 / 1024:.1f} MB"
    )
    print(
        f"plain openpyxl, the same {cells} cells     {reference_time:8.1f} s, {reference_size / 1024 / 1024:.1f} MB"
        f"  (workbook = {workbook_ratio:.2f}x)"
    )
    print(f"workbook peak Python memory               {workbook_peak:8.1f} MB")
    print(
        f"runs: {rounds} of the floor and the build, {args.repeat} of each workbook, medians;"
        f" load average {os.getloadavg()[0]:.1f} at the end"
    )
    for goal, figure, target, unit in (
        ("a kindergarten's build", build_time * 1000, 100, " ms"),
        ("workbook / plain openpyxl", workbook_ratio, 1.3, "x"),
    ):
        print(
            f"goal {goal:28s} {figure:6.2f}{unit}  target {target}{unit}  {'met' if figure <= target else 'NOT met'}"
        )


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    # A benchmark builds and reads every kindergarten's rows, as a city-wide command does; the
    # requests it makes run in their users' scopes.
    with scopes_disabled():
        main()
