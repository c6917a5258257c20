"""Attendance certificates benchmark: 100 certificates as one PDF; prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench .venv/bin/python benchmarks/certificates_benchmark.py

Migrates the database, then inside a transaction that is rolled back at the end (nothing is left
behind) makes one held event with 100 teachers marked as attended and prints: the time to issue
the 100 certificates (numbers, rows), the time to render them as one PDF (median of the runs),
the PDF's size and pages, and the peak Python memory of one render (tracemalloc, in a separate
run so that the timings are not slowed by it).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ.setdefault("DEBUG", "1")
# The address printed under the QR codes (the render needs no request host then).
os.environ.setdefault("PORTAL_BASE_URL", "https://portal.sad12.ru")

CERTIFICATES = 100


class Rollback(Exception):
    pass


def build_event():
    from django.utils import timezone

    from events.models import (
        Event,
        EventFormat,
        EventStatus,
        Level,
        Participation,
        ParticipationRole,
        ParticipationStatus,
    )
    from kindergarten_portal.models import Organization, OrganizationKind
    from staff.models import Employee, Position, Sex

    organizer, _created = Organization.objects.get_or_create(
        name="Бенчмарк: ИМЦ", defaults={"kind": OrganizationKind.IMC}
    )
    # Our kindergarten hosts the event and employs its teachers, as her office's rows are.
    kindergarten = Organization.objects.own_or_create()
    start = timezone.make_aware(datetime.datetime(2026, 5, 15, 10, 0))
    event = Event.objects.create(
        host=kindergarten,
        title="Семинар-практикум «Игра как форма организации детской жизни»",
        format=EventFormat.WORKSHOP,
        level=Level.MUNICIPAL,
        organizer=organizer,
        start=start,
        end=start + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
    )
    roles = list(ParticipationRole.values)
    teachers = Employee.objects.bulk_create(
        Employee(
            organization=kindergarten,
            surname=f"Бенчмаркова{n:03d}",
            name="Мария",
            patronymic="Ивановна",
            sex=(Sex.FEMALE, Sex.MALE, "")[n % 3],
            position=Position.EDUCATOR,
        )
        for n in range(CERTIFICATES)
    )
    Participation.objects.bulk_create(
        Participation(
            event=event, teacher=teacher, role=roles[n % len(roles)], status=ParticipationStatus.ATTENDED
        )
        for n, teacher in enumerate(teachers)
    )
    return event


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="renders to time (median printed)")
    args = parser.parse_args()

    from benchmarks.common import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import RequestFactory

    from events.documents import certificates_pdf
    from events.selectors import event_certificates
    from events.services import event_certificates_issue

    call_command("migrate", verbosity=0)
    request = RequestFactory().get("/")
    try:
        with transaction.atomic():
            event = build_event()

            started = time.perf_counter()
            certificates = event_certificates_issue(event=event)
            issue_seconds = time.perf_counter() - started

            timings, cpu = [], []
            for _run in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                content = certificates_pdf(event_certificates(event=event), request=request)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)

            tracemalloc.start()
            certificates_pdf(event_certificates(event=event), request=request)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            raise Rollback
    except Rollback:
        pass

    import io

    from pypdf import PdfReader  # a test tool: only to count the pages, if installed

    pages = len(PdfReader(io.BytesIO(content)).pages)
    print(f"certificates issued: {len(certificates)} in {issue_seconds * 1000:.0f} ms")
    print(f"one PDF of {pages} pages, {len(content) / 1024:.0f} KiB")
    print(
        f"render (read + PDF), median of {args.runs}: {statistics.median(timings):.2f} s "
        f"({statistics.median(timings) / CERTIFICATES * 1000:.1f} ms per certificate)"
    )
    print(
        f"render CPU time of this process, median: {statistics.median(cpu):.2f} s (less hit by a busy machine)"
    )
    print(f"render peak Python memory: {peak / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    # A benchmark builds and reads every kindergarten's rows, as a city-wide command does; the
    # requests it makes run in their users' scopes.
    with scopes_disabled():
        main()
