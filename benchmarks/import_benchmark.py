"""Staff import benchmark on PostgreSQL: prints figures, asserts nothing.

    make benchmark-import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_imports_bench .venv/bin/python benchmarks/import_benchmark.py

Builds the workbook of a city's staff, 5 000 people (the most an import takes), shaped as an office
keeps it: two title rows above the header, the office's own column names («Ф.И.О.», «Занимаемая
должность», «Кв. категория», «Программа КПК» …), dates as Excel serial numbers, as dates and as
text, names and words with «ё», and a current category and a last course training for everyone.
The file is written by XlsxWriter, which records the sheet's size as Excel and LibreOffice do.

On an emptied database before each run it imports the file by the command (`manage.py import_staff`,
dry run and written) and through the admin's import page as the office does (the dry run, then the
import, each one request), and prints each one's time. Peak memory: Python's (tracemalloc) in a
separate run of the written import, so the timings are not slowed by it, and the process's peak
resident size at the end. `--rows N` builds a smaller file.
"""

import argparse
import datetime
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from common import django_on_postgres  # benchmarks/common.py (the scripts run from this folder)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_imports_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ.setdefault("DEBUG", "1")

ROWS = 5_000
HEADER = ["№ п/п", "Ф.И.О.", "Пол", "Занимаемая должность", "Группа", "Образование", "Пед. стаж с",
          "Дата приема на работу", "Телефон", "Кв. категория", "Дата присвоения", "№ приказа",
          "Программа КПК", "Где проходила курсы", "Объем часов", "Дата окончания КПК"]  # fmt: skip
SURNAMES = ["Семёнова", "Королёва", "Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соловьёва",
            "Васильева", "Фёдорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Козлова", "Новикова",
            "Егорова", "Павлова", "Орлова", "Андреева", "Макарова", "Никитина", "Захарова", "Зайцева",
            "Борисова", "Яковлева", "Григорьева", "Романова", "Воробьёва", "Сергеева"]  # fmt: skip
NAMES = ["Алёна", "Мария", "Анна", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Юлия",
         "Дарья", "Ксения", "Полина", "Вера", "Надежда", "Любовь", "Галина", "Людмила"]  # fmt: skip
PATRONYMICS = ["Фёдоровна", "Артёмовна", "Петровна", "Ивановна", "Сергеевна", "Алексеевна", "Андреевна",
               "Николаевна", "Владимировна", "Юрьевна"]  # fmt: skip
POSITIONS = ["воспитатель", "воспитатель", "воспитатель", "муз. руководитель", "учитель-логопед",
             "инструктор по физкультуре", "педагог-психолог", "ст. воспитатель"]  # fmt: skip
GROUPS = ["Солнышко", "Ромашка", "Ёлочка", "Звёздочка", "Колокольчик", "Берёзка", "Пчёлка", "Радуга"]
CATEGORIES = ["высшая", "первая", "ВКК", "1 категория"]
COURSES = ["Реализация ФОП ДО в дошкольной образовательной организации",
           "Содержание и организация образовательной деятельности в ДОО",
           "Обучение детей с ОВЗ: инклюзивное образование в детском саду"]  # fmt: skip
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def serial(day):
    """The day as Excel stores it in a cell formatted as a number."""
    return (day - EXCEL_EPOCH).days


def staff_file(rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet = book.add_worksheet("Педагогические работники")
    sheet.write_row(0, 0, ["Сведения о педагогических работниках МБДОУ города"])
    sheet.write_row(1, 0, ["по состоянию на 01.09.2026"])
    sheet.write_row(2, 0, HEADER)
    for n in range(rows):
        person = f"{SURNAMES[n % 30]} {NAMES[n // 30 % 18]} {PATRONYMICS[n // 540 % 10]}"
        hired = datetime.date(2005 + n % 20, 1 + n % 12, 1 + n % 28)
        decided = datetime.date(2019 + n % 7, 1 + n % 12, 1 + n % 27)
        values = [n + 1, person, "ж", POSITIONS[n % 8], f"№ {n % 40 + 1} «{GROUPS[n % 8]}»",
                  "высшее педагогическое" if n % 3 else "среднее специальное",
                  serial(hired - datetime.timedelta(days=400)), f"{hired:%d.%m.%Y} г.", f"+7 912 {n:03d}-{n % 97:02d}-10",
                  CATEGORIES[n % 4], None, f"№ {n % 900 + 1}-Д", COURSES[n % 3], "ИРО",
                  f"{(16, 36, 72)[n % 3]} ч.", serial(datetime.date(2024 + n % 2, 1 + n % 12, 1 + n % 28))]  # fmt: skip
        sheet.write_row(3 + n, 0, values)
        sheet.write_datetime(3 + n, 10, datetime.datetime.combine(decided, datetime.time()), date_format)
    book.close()
    return out.getvalue()


def timed(run):
    """(wall seconds, this process's CPU seconds, what `run` returned). On a shared machine the wall
    time depends on the load; the CPU time much less (the database's share is not in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    outcome = run()
    return time.perf_counter() - started, time.process_time() - cpu, outcome


def measure(label, run):
    """Time `run` on an emptied database and print the figures."""
    fresh()
    seconds, cpu, outcome = timed(run)
    print(f"{label:<44} {seconds:7.2f} s (CPU {cpu:6.2f} s)   {outcome}", flush=True)


def fresh():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS)
    rows = parser.parse_args().rows
    django_on_postgres()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from staff.models import CategoryDecision, Employee, Training

    data = staff_file(rows)
    print(f"staff file {len(data) / 2**20:.1f} MB, {rows} people with a category and a course each")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(data)
        file.flush()

        def command(*flags):
            def run():
                out = io.StringIO()
                call_command("import_staff", file.name, *flags, stdout=out)
                return out.getvalue().strip().splitlines()[-1]

            return run

        def stored():
            return (
                f"{Employee.objects.count()} staff, {CategoryDecision.objects.count()} categories,"
                f" {Training.objects.count()} courses"
            )

        def admin():
            user = get_user_model().objects.create(username="bench", is_staff=True, is_superuser=True)
            client = Client(SERVER_NAME="localhost")
            client.force_login(user)
            url = reverse("admin:staff_employee_import")
            lines = []
            for label, extra in (("dry run", {}), ("import", {"apply": "1"})):
                seconds, cpu, response = timed(
                    lambda extra=extra: client.post(
                        url, {"file": SimpleUploadedFile("staff.xlsx", data), **extra}
                    )
                )
                lines.append(f"{label} {seconds:.2f} s (CPU {cpu:.2f} s, HTTP {response.status_code})")
            return "; ".join(lines) + "; " + stored()

        measure("command, dry run", command("--dry-run"))
        measure("command, written", lambda: command()() + " " + stored())
        measure("admin, dry run then import (two requests)", admin)

        fresh()
        tracemalloc.start()
        command()()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"peak Python memory of the written import (tracemalloc): {peak / 2**20:.1f} MB")
    print(
        f"peak resident size of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MB"
    )


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    # A benchmark builds and reads every kindergarten's rows, as a city-wide command does; the
    # requests it makes run in their users' scopes.
    with scopes_disabled():
        main()
