"""Import benchmark on PostgreSQL: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_import_bench .venv/bin/python benchmarks/import_benchmark.py

Builds a staff workbook of 5 000 people (the most an import takes) shaped as an office keeps it (a
title above the header, «ФИО» in one column, a category and a last course per person) and a plan
of 5 000 events in the ИМЦ's layout; then, on an empty database, times the dry run and the import
of each and measures their peak Python memory (tracemalloc, in separate runs so the timings are not
slowed by it). For scale it also measures openpyxl loading the same staff file whole (not streamed).
Memory stays flat when the import's peak stays near the streamed reading and well below the whole load.
"""

import datetime
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

from common import ensure_database  # benchmarks/common.py (the scripts run from this folder)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_import_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ.setdefault("DEBUG", "1")

ROWS = 5_000


def staff_file() -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Педагоги")
    ws.append(["Список педагогических работников"])
    ws.append([])
    ws.append(["№", "ФИО", "Должность", "Группа", "Пед. стаж с", "Дата приема", "Категория", "Дата присвоения",
               "Приказ", "Курсы", "Кол-во часов", "Дата окончания курсов"])  # fmt: skip
    for n in range(ROWS):
        ws.append([n + 1, f"Фамилия{n:05d} Мария Ивановна", "воспитатель", f"Группа {n % 40}",
                   datetime.datetime(2000 + n % 25, 9, 1), "01.09.2010", "первая", "28.03.2024", f"{n}-Д",
                   "Реализация ФОП ДО", 72, datetime.datetime(2025, 4, 18)])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plan_file() -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("План")
    ws.append(["План работы ИМЦ"])
    ws.append(["Дата", "Время", "Мероприятие", "Форма проведения", "Место проведения", "Ответственный"])
    start = datetime.date(2030, 1, 1)
    for n in range(ROWS):
        day = start + datetime.timedelta(days=n // 8)
        ws.append([datetime.datetime.combine(day, datetime.time()), f"{8 + n % 8}:00–{9 + n % 8}:00",
                   f"Семинар № {n}", "семинар", "ИМЦ", "Петрова И. И."])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def clean():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE staff_categorydecision, staff_training, staff_employee_groups, staff_kindergartengroup,"
            " staff_employee, events_event CASCADE"
        )


def measure(label, run):
    clean()
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    clean()
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    errors = getattr(result, "error_count", 0)
    print(f"{label:<38} {seconds:7.2f} s   peak {peak / 2**20:7.1f} MB   errors {errors}")
    return result


def main():
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from openpyxl import load_workbook

    from events.importing import event_import
    from events.models import Organization, OrganizationKind
    from kindergarten_portal.xlsx_in import open_workbook
    from staff.services import staff_import

    call_command("migrate", verbosity=0)
    staff, plan = staff_file(), plan_file()
    print(f"staff file {len(staff) / 2**20:.1f} MB, plan file {len(plan) / 2**20:.1f} MB, {ROWS} rows each")

    def streamed():
        workbook = open_workbook(io.BytesIO(staff))
        count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return count

    def whole():
        return load_workbook(io.BytesIO(staff)).active.max_row

    def with_centre(run):
        def wrapped():
            Organization.objects.get_or_create(name="ИМЦ", defaults={"kind": OrganizationKind.IMC})
            return run()

        return wrapped

    measure("openpyxl, staff file read streamed", streamed)
    measure("openpyxl, staff file loaded whole", whole)
    measure("staff import, dry run", lambda: staff_import(file=io.BytesIO(staff), dry_run=True))
    measure("staff import, written", lambda: staff_import(file=io.BytesIO(staff), dry_run=False))
    measure("plan import, dry run", with_centre(lambda: event_import(file=io.BytesIO(plan), dry_run=True)))
    measure("plan import, written", with_centre(lambda: event_import(file=io.BytesIO(plan), dry_run=False)))


if __name__ == "__main__":
    main()
