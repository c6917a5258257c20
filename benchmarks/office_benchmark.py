"""Office benchmark on PostgreSQL: the office's pages and every admin list at 6 000 staff; prints
figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench_office .venv/bin/python benchmarks/office_benchmark.py

Builds (once; again with --recreate) a kindergarten network in its own database: the demo
(seed_demo into the emptied database, for the senior educator's and the head's accounts), grown
with bulk inserts to 6 000 staff (3 000 with teacher accounts), their category decisions,
trainings, leaves, conformity decisions and mentorships; 3 000 events over two academic years
with 150 000 participations, certificates and external participants; 300 000 portfolio entries
over the two years, 3 000 of them waiting for review; the current year's self-reports in mixed
statuses; mailed messages; a rating build. Then measures, in process with Django's test client
under the production settings (DEBUG off, cached templates), the review queue, the head's
dashboard, the self-report roster, the attestation calendar, the self-evaluation indicators, and
every admin list — its first page, page 2 and a search or a filter where it has them — as the
senior educator (`metodist`) or the head (`head`): each page's median over --requests requests
after a warm-up, its queries and the rows it shows, against the target of 200 ms.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

# benchmarks/common.py (the scripts run from this folder)
from common import build_demo, django_on_postgres, entry_facts, settle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench_office")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
# Production settings, as served: DEBUG off (cached template loader), manifest static files.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "office-benchmark-only-secret-key-0123456789-abcdefghijklmnop")
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["SECURE_COOKIES"] = "false"
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="office-benchmark-static-"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # the demo's mail

STAFF = 6_000
ACCOUNTS = 3_000  # staff with a sign-in account in the teacher role
EVENTS_PER_YEAR = 1_500
PARTICIPANTS_PER_EVENT = 50  # 150 000 participations over two years
ENTRIES = 300_000  # over two academic years
SUBMITTED = 3_000  # waiting for review
EXTERNALS = 5_000
MESSAGES = 20_000
TARGET_MS = 200
BATCH = 10_000

# ---------------------------------------------------------------- data


def grow(rng):
    """The demo grown to STAFF staff and two academic years of a city network's records, in bulk."""
    import secrets

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone

    from events.models import (
        Event,
        EventCertificate,
        EventFormat,
        EventStatus,
        ExternalParticipant,
        Level,
        Participation,
        ParticipationRole,
        ParticipationStatus,
    )
    from kindergarten_portal.access.roles import TEACHER
    from kindergarten_portal.models import Organization, OrganizationKind, OutboxMessage, OutboxStatus
    from portfolios.models import EntryStatus, EvidenceFile, PortfolioEntry, ReportItem, Result
    from reports.models import SelfReport, SelfReportStatus
    from reports.services import academic_year_ensure, rating_build
    from staff.academic import AcademicYear
    from staff.demo import kindergarten as demo_kindergarten
    from staff.models import (
        Category,
        CategoryDecision,
        ConformityDecision,
        Employee,
        KindergartenGroup,
        Leave,
        LeaveKind,
        Mentorship,
        Position,
        Training,
        TrainingKind,
    )

    started = time.perf_counter()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    current = AcademicYear.current()
    years = [AcademicYear(current.start_year - 1), current]
    # The demo's kindergarten: every row grown here is hers, as her office's pages read only hers.
    kindergarten = demo_kindergarten()

    # Accounts: one password hash for all (hashing 3 000 would take minutes), one role group.
    password = make_password("office-benchmark")
    users = User.objects.bulk_create(
        [
            User(username=f"teacher{n:05d}", password=password, email=f"teacher{n:05d}@example.org")
            for n in range(ACCOUNTS)
        ],
        batch_size=BATCH,
    )
    teacher_group = Group.objects.get(name=TEACHER)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=teacher_group.pk) for u in users], batch_size=BATCH
    )
    groups = KindergartenGroup.objects.bulk_create(
        [
            KindergartenGroup(
                organization=kindergarten, name=f"Группа сети №{n}", age_band="4–5 лет", pupils=20 + n % 10
            )
            for n in range(300)
        ]
    )
    have = Employee.objects.count()
    positions = [Position.EDUCATOR] * 8 + [Position.MUSIC_DIRECTOR, Position.PSYCHOLOGIST]
    surnames = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева", "Козлова"]
    names = ["Мария", "Анна", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана"]
    employees = Employee.objects.bulk_create(
        [
            Employee(
                organization=kindergarten,
                surname=f"{surnames[n % 8]}-{n:05d}",
                name=names[(n // 8) % 8],
                patronymic="Ивановна",
                position=positions[n % 10],
                experience_start=datetime.date(1990 + n % 34, 9, 1),
                hire_date=datetime.date(2005 + n % 18, 9, 1),
                birth_date=datetime.date(1965 + n % 35, 1 + n % 12, 1 + n % 28),
                email=f"staff{n:05d}@example.org",
                user=users[n] if n < ACCOUNTS else None,
            )
            for n in range(STAFF - have)
        ],
        batch_size=BATCH,
    )
    Employee.groups.through.objects.bulk_create(
        [
            Employee.groups.through(employee_id=e.pk, kindergartengroup_id=groups[i % 300].pk)
            for i, e in enumerate(employees)
        ],
        batch_size=BATCH,
    )
    categories = [Category.HIGHEST, Category.FIRST, Category.FIRST]
    decisions = []
    for i, e in enumerate(employees):
        if i % 10 < 7:  # 70% hold a category; some granted before 01.09.2023 (a term), the rest without end
            granted = datetime.date(2019 + i % 7, 1 + i % 12, 1 + i % 27)
            decisions.append(
                CategoryDecision(
                    employee=e,
                    category=categories[i % 3],
                    decision_date=granted,
                    valid_until=datetime.date(granted.year + 5, granted.month, granted.day)
                    if granted < datetime.date(2023, 9, 1)
                    else None,
                )
            )
        if i % 50 == 0:
            decisions.append(
                CategoryDecision(
                    employee=e, category=Category.MENTOR, decision_date=datetime.date(2024, 3, 1)
                )
            )
    CategoryDecision.objects.bulk_create(decisions, batch_size=BATCH)
    ConformityDecision.objects.bulk_create(
        [
            ConformityDecision(
                employee=e, decision_date=datetime.date(2021 + i % 4, 5, 10), result="conforms"
            )
            for i, e in enumerate(employees)
            if i % 10 in (7, 8)
        ],
        batch_size=BATCH,
    )
    Leave.objects.bulk_create(
        [
            Leave(
                employee=e,
                kind=[LeaveKind.MATERNITY, LeaveKind.CHILD_CARE, LeaveKind.ILLNESS][i % 3],
                start_date=datetime.date(2023, 1 + i % 12, 1),
                end_date=None if i % 2 else datetime.date(2025, 1 + i % 12, 1),
            )
            for i, e in enumerate(employees)
            if i % 40 == 9
        ]
    )
    trainings = []
    for i, e in enumerate(employees):
        for k in range(1 + i % 3):
            end = datetime.date(2019 + (i + k) % 7, 1 + (i + k) % 12, 20)
            trainings.append(
                Training(
                    employee=e,
                    kind=TrainingKind.COURSE,
                    programme=f"Современные образовательные технологии в ДОО, модуль {k + 1}",
                    provider="ИРО",
                    hours=[16, 36, 72][(i + k) % 3],
                    start_date=end - datetime.timedelta(days=14),
                    end_date=end,
                    on_fgos=k == 0,
                )
            )
    Training.objects.bulk_create(trainings, batch_size=BATCH)
    Mentorship.objects.bulk_create(
        [
            Mentorship(mentor=employees[i], mentee=employees[i + 1], start_date=datetime.date(2024, 9, 1))
            for i in range(0, 600, 2)
        ]
    )

    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"Детский сад сети №{n}", kind=OrganizationKind.KINDERGARTEN)
            for n in range(100, 140)
        ]
    )
    formats = [f.value for f in EventFormat]
    levels = [lv.value for lv in Level]
    events = []
    for year in years:
        first = datetime.datetime.combine(year.start, datetime.time(10), tzinfo=tz)
        for n in range(EVENTS_PER_YEAR):
            start = first + datetime.timedelta(days=rng.randrange(365), hours=rng.randrange(6))
            held = start + datetime.timedelta(hours=2) < now
            published = held and n % 2 == 0
            events.append(
                Event(
                    host=kindergarten,
                    title=f"Семинар сети {year.label} №{n}",
                    format=rng.choice(formats),
                    level=rng.choice(levels),
                    organizer=rng.choice(organizations),
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    place="ИМЦ, ауд. 12",
                    description="Обмен опытом педагогов сети.",
                    is_open=n % 4 == 0,
                    status=EventStatus.HELD if held else EventStatus.PLANNED,
                    results_published=published,
                    results_text="Итоги: участники представили опыт." if published else "",
                    results_published_at=start + datetime.timedelta(days=2) if published else None,
                )
            )
    events = Event.objects.bulk_create(events, batch_size=BATCH)
    teacher_ids = [e.pk for e in employees]
    participations = []
    for event in events:
        held = event.status == EventStatus.HELD
        for teacher in rng.sample(teacher_ids, PARTICIPANTS_PER_EVENT):
            participations.append(
                Participation(
                    event=event,
                    teacher_id=teacher,
                    role=ParticipationRole.SPEAKER if rng.random() < 0.1 else ParticipationRole.LISTENER,
                    status=ParticipationStatus.ATTENDED if held else ParticipationStatus.SIGNED_UP,
                    status_changed_at=event.start,
                )
            )
    participations = Participation.objects.bulk_create(participations, batch_size=BATCH)
    externals = ExternalParticipant.objects.bulk_create(
        [
            ExternalParticipant(
                event=events[i % len(events)],
                full_name=f"Гостья Сети {i:05d}",
                organization="Школа №5",
                position="учитель",
                email=f"guest{i:05d}@example.org",
                consent=True,
                consent_at=now,
                attended=events[i % len(events)].status == EventStatus.HELD,
            )
            for i in range(EXTERNALS)
        ],
        batch_size=BATCH,
    )
    attended = [p for p in participations if p.status == ParticipationStatus.ATTENDED][::3]
    certificates = [
        EventCertificate(
            participation=p,
            check_code=secrets.token_hex(4),
            token=secrets.token_hex(16),
            issued_at=now,
            issued_by=kindergarten,
        )
        for p in attended
    ] + [
        EventCertificate(
            external_participant=x,
            check_code=secrets.token_hex(4),
            token=secrets.token_hex(16),
            issued_at=now,
            issued_by=kindergarten,
        )
        for x in externals
        if x.attended
    ]
    certificates = EventCertificate.objects.bulk_create(certificates, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_eventcertificate SET number = to_char(issued_at, 'YYYY') || '-' || lpad(id::text, 6, '0')"
            " WHERE number IS NULL"
        )

    items = [i.value for i in ReportItem]
    results = [r.value for r in Result]
    entry_teachers = teacher_ids[:ACCOUNTS]  # the portfolio is kept by teachers with an account
    per_year = ENTRIES // len(years)
    submitted_ids = []
    for year in years:
        for offset in range(0, per_year, BATCH):
            batch = []
            for n in range(offset, min(per_year, offset + BATCH)):
                item = rng.choice(items)
                submitted = year == current and n < SUBMITTED
                batch.append(
                    PortfolioEntry(
                        teacher_id=rng.choice(entry_teachers),
                        **entry_facts(
                            rng,
                            item=item,
                            title=f"Запись портфолио {year.label} №{n}",
                            date=year.start + datetime.timedelta(days=rng.randrange(300)),
                            levels=levels,
                            results=results,
                        ),
                        is_public=n % 3 == 0,
                        status=EntryStatus.SUBMITTED if submitted else EntryStatus.APPROVED,
                        submitted_at=now - datetime.timedelta(minutes=n) if submitted else None,
                        approved_at=None if submitted else now,
                    )
                )
            created = PortfolioEntry.objects.bulk_create(batch)
            submitted_ids += [e.pk for e in created if e.status == EntryStatus.SUBMITTED]
    EvidenceFile.objects.bulk_create(
        [
            EvidenceFile(
                entry_id=pk,
                file=f"evidence/benchmark/{pk}.pdf",
                content_type="application/pdf",
                original_name="диплом.pdf",
                size=120_000,
                sha256=f"{pk:064d}",
            )
            for pk in submitted_ids
        ],
        batch_size=BATCH,
    )

    stored = {year: academic_year_ensure(year=year) for year in years}
    statuses = [
        SelfReportStatus.DRAFT,
        SelfReportStatus.SUBMITTED,
        SelfReportStatus.RETURNED,
        SelfReportStatus.ACCEPTED,
    ]
    reports = []
    for i, teacher in enumerate(entry_teachers):
        reports.append(
            SelfReport(
                teacher_id=teacher,
                academic_year=stored[years[0]],
                status=SelfReportStatus.ACCEPTED,
                submitted_at=now,
                reviewed_at=now,
                snapshot={},
            )
        )
        if i % 5:  # a fifth have not started this year's
            status = statuses[i % 4]
            reports.append(
                SelfReport(
                    teacher_id=teacher,
                    academic_year=stored[current],
                    status=status,
                    submitted_at=now if status != SelfReportStatus.DRAFT else None,
                    reviewed_at=now
                    if status in (SelfReportStatus.RETURNED, SelfReportStatus.ACCEPTED)
                    else None,
                    snapshot={} if status == SelfReportStatus.ACCEPTED else None,
                )
            )
    SelfReport.objects.bulk_create(reports, batch_size=BATCH, ignore_conflicts=True)
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                kind=["events.reminder", "events.monthly_plan", "portfolios.entry_approved"][n % 3],
                key=f"benchmark:{n}",
                recipient=f"staff{n % STAFF:05d}@example.org",
                subject="Напоминание о мероприятии",
                body="…",
                created_at=now - datetime.timedelta(minutes=n),
                status=OutboxStatus.FAILED if n % 50 == 0 else OutboxStatus.SENT,
                sent_at=None if n % 50 == 0 else now - datetime.timedelta(minutes=n),
            )
            for n in range(MESSAGES)
        ],
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rating_build(year=stored[current], workbook=False, organization=kindergarten)
    settle()
    print(
        f"built in {time.perf_counter() - started:.0f} s: {Employee.objects.count()} staff, {len(users)} accounts,"
        f" {len(events)} events, {len(participations)} participations, {len(certificates)} certificates,"
        f" {PortfolioEntry.objects.count()} entries ({len(submitted_ids)} submitted),"
        f" {SelfReport.objects.count()} self-reports"
    )


def populate(recreate):
    from staff.models import Employee

    # Rows without their kindergarten (built before the portal had many) are invisible to her
    # office's pages: such data are built again.
    placed = not Employee.objects.filter(organization__isnull=True).exists()
    if not recreate and placed and Employee.objects.count() >= STAFF:
        print(f"data present: {Employee.objects.count()} staff (--recreate to rebuild)")
        return
    build_demo()
    grow(random.Random(2026))


# ---------------------------------------------------------------- pages


def pages():
    """(label, who, URL) of the pages measured; `who` is a demo username."""
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from kindergarten_portal.access.roles import TEACHER
    from reports.models import AcademicYear as StoredYear

    def admin(name, *queries, who="metodist"):
        url = reverse(f"admin:{name}_changelist")
        rows = [(f"admin: {name}" + (f" ({who})" if who != "metodist" else ""), who, url)]
        for suffix in queries:
            rows.append((f"admin: {name} {suffix}", who, f"{url}?{suffix}"))
        return rows

    teachers = Group.objects.get(name=TEACHER).pk
    previous = StoredYear.objects.order_by("start_year").first()
    return [
        ("office: review queue", "metodist", reverse("portfolios:review")),
        ("office: review queue p2", "metodist", reverse("portfolios:review") + "?page=2"),
        ("office: dashboard", "head", reverse("reports:dashboard")),
        ("office: self-reports", "metodist", reverse("reports:self_reports")),
        ("office: self-reports p2", "metodist", reverse("reports:self_reports") + "?page=2"),
        (
            "office: self-reports last year",
            "head",
            reverse("reports:self_reports") + f"?year={previous.label}",
        ),
        ("office: self-evaluation", "head", reverse("staff:self_evaluation")),
        ("admin: attestation calendar", "metodist", reverse("admin:staff_employee_attestation_calendar")),
        *admin(
            "staff_employee", "p=2", "q=Иванова", "category=first", "attestation_due=12", "course_due=overdue"
        ),
        *admin("staff_employee", who="head"),
        *admin("staff_training", "p=2", "q=модуль", "kind__exact=course"),
        *admin("staff_kindergartengroup", "p=2"),
        *admin("events_event", "p=2", "q=Семинар", "status__exact=held"),
        *admin("events_participation", "p=2", "q=Иванова", "status__exact=attended", "sharing=owed"),
        *admin("events_externalparticipant", "p=2", "q=Гостья", "attended__exact=1"),
        *admin("events_eventcertificate", "p=2", "q=2025", "revoked_at__isnull=True"),
        *admin("kindergarten_portal_organization", "member=yes"),
        *admin("events_series"),
        *admin("events_direction"),
        *admin("events_publishedplan"),
        *admin("portfolios_portfolioentry", "p=2", "q=Иванова", "status__exact=submitted"),
        *admin("portfolios_minisite"),
        *admin("reports_selfreport", "p=2", "q=Иванова", "status__exact=submitted"),
        *admin("reports_ratingbuild"),
        *admin("reports_academicyear"),
        *admin("reports_scoringrule"),
        *admin("reports_recommendationcriterion"),
        *admin(
            "kindergarten_portal_outboxmessage",
            "p=2",
            "q=staff00001",
            "kind=events.reminder",
            "status__exact=failed",
        ),
        *admin("auth_user", "p=2", "q=teacher0001", f"groups__id__exact={teachers}"),
    ]


def rows_shown(response):
    """The rows of the list the page shows (None where the page has no list)."""
    context = response.context
    if context is None:
        return None
    for key, count in (
        ("cl", lambda cl: len(cl.result_list)),
        ("page_obj", lambda page: len(page.object_list)),
    ):
        try:
            return count(context[key])
        except KeyError:
            continue
    try:  # the attestation calendar: its dues and the exempt
        return len(context["rows"]) + len(context["exempt"])
    except KeyError:
        pass
    try:  # the dashboard: the rating rows and the attestations due
        return len(context["rows"]) + len(context["due"])
    except KeyError:
        return None


def measure(requests):
    """[(label, median ms, queries, rows)] of every page."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    clients = {}
    for username in ("metodist", "head"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    rows = pages()
    counted = {}
    setup_test_environment()  # the response's context, for the rows shown
    try:
        for label, who, url in rows:
            client = clients[who]
            for _n in range(3):  # warm-up: templates parsed, connection open
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{label}: {url} answered {response.status_code}")
            executed = []

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = client.get(url)
            counted[label] = (len(executed), rows_shown(response))
    finally:
        teardown_test_environment()  # timed without the test framework's template instrumentation
    # Round after round, one request of each page per round: a load that comes and goes on a shared
    # machine slows every page alike.
    times = {label: [] for label, _who, _url in rows}
    for _n in range(requests):
        for label, who, url in rows:
            started = time.perf_counter()
            clients[who].get(url)
            times[label].append(time.perf_counter() - started)
    return [(label, statistics.median(times[label]) * 1000, *counted[label]) for label, _who, _url in rows]


def print_table(results):
    print("\n| page | median ms | queries | rows shown | < 200 ms |")
    print("|---|---:|---:|---:|---|")
    for label, ms, queries, rows in results:
        verdict = "met" if ms < TARGET_MS else "NOT met"
        print(f"| {label} | {ms:.1f} | {queries} | {'—' if rows is None else rows} | {verdict} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recreate", action="store_true", help="empty the database and build the data again")
    parser.add_argument("--requests", type=int, default=15, help="requests per page (median)")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    args = parser.parse_args()

    django_on_postgres()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)
    populate(args.recreate)

    global pages
    if args.only:
        every = pages
        pages = lambda: [row for row in every() if args.only in row[0]]  # noqa: E731
    results = measure(args.requests)
    load = os.getloadavg()
    print(
        f"\nPostgreSQL {connection.pg_version}; median of {args.requests} requests per page, in process;"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print_table(results)


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    # A benchmark builds and reads every kindergarten's rows, as a city-wide command does; the
    # requests it makes run in their users' scopes.
    with scopes_disabled():
        main()
