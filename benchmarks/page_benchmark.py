"""Page benchmark on PostgreSQL: each main page's server time beside a one-query page; prints
figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench_pages .venv/bin/python benchmarks/page_benchmark.py

Builds the demo kindergarten (seed_demo) in an emptied database and measures every main page in
process with Django's test client (production settings: DEBUG off, cached templates), each page's
median over --requests requests after a warm-up, beside a page that makes one query and renders
nothing, measured in the same run (a view that exists only in this script's urlconf). Then grows
the data to a city network (300 more teachers; five academic years of events, participations,
portfolio entries, self-reports; mini-sites; a rating build) with bulk inserts and measures again.
Prints, per page: median ms, its ratio to the one-query page, queries, at both sizes, and the
network/demo ratio. Anonymous pages are measured as a visitor sees them: from the public pages'
cache (kindergarten_portal.caching.pagecache). A signed-in user's pages are rendered on every request.
If `wrk` is installed, also runs each page for 10 s with 20 connections against gunicorn
(2 sync workers) and prints requests/s and latency.

`--city N` (N kindergartens, the demo's among them) measures the city instead of the network: after
the demo's pages, it adds N - 1 kindergartens of CITY_TEACHERS teachers each, in bulk (staff records
with category decisions and courses, five academic years of events each hosts with its teachers'
participations, approved portfolio entries, self-reports, a rating build each), settles the
database and measures the same pages of the same demo personas again. Prints, per signed-in page
(a kindergarten's teacher, office and head): time on the demo, time in the city, their ratio,
queries on both, and the goal (ratio <= 1.5, queries at most one more).
"""

import argparse
import datetime
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# benchmarks/common.py (the scripts run from this folder)
from common import build_demo, django_on_postgres, entry_facts, settle, staff_history

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_bench_pages")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
# Production settings, as served: DEBUG off (cached template loader), manifest static files.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "page-benchmark-only-secret-key-0123456789-abcdefghijklmnop")
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["SECURE_COOKIES"] = "false"
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="page-benchmark-static-"))


def _redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# As production is advised to run: the cache, the cached public pages and the sessions in Redis
# (docs/configuration.md, REDIS_URL), in a Redis database of the benchmark's own, emptied on every
# run. Without a Redis on this machine, the database cache.
if "REDIS_URL" not in os.environ and _redis_answers():
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/14"
    os.environ["CACHE_KEY_PREFIX"] = "page-benchmark"

# The goals of issue #12, checked against the figures this script prints.
TEACHER_PAGE_MS = 8.0  # at demo size, server time
NETWORK_OVER_DEMO = 1.5  # a page's time at network size over its time at demo size (as x1q ratios)
P95_MS = 100.0  # under wrk: 20 connections, 2 gunicorn workers
ANONYMOUS_SHARE = 0.5  # an anonymous page's requests/s over the one-query page's

NETWORK_TEACHERS = 300
YEARS = 5
EVENTS_PER_YEAR = 400
PARTICIPATIONS_PER_TEACHER_YEAR = 30
ENTRIES_PER_TEACHER_YEAR = 40
BATCH = 5_000

# --city: each other kindergarten's size and history (five academic years).
CITY_TEACHERS = 30
CITY_EVENTS_PER_YEAR = 20  # hosted by each kindergarten
CITY_PARTICIPATIONS_PER_TEACHER_YEAR = 8  # in her own kindergarten's events
CITY_ENTRIES_PER_TEACHER_YEAR = 10  # approved
CITY_OVER_DEMO = 1.5  # a page's time in the city over its time on the demo
CITY_EXTRA_QUERIES = 1

# ---------------------------------------------------------------- the one-query page (only here)


def one_query(request):
    from django.contrib.auth.models import Group
    from django.http import HttpResponse

    return HttpResponse(str(Group.objects.count()), content_type="text/plain")


def _urlpatterns():
    from django.urls import path

    from kindergarten_portal.urls import urlpatterns

    return [path("benchmark/one-query/", one_query), *urlpatterns]


urlpatterns = []  # filled once Django is set up; ROOT_URLCONF points here


def wsgi():
    """The WSGI application with this module's urlconf, for gunicorn ("page_benchmark:wsgi()")."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    urlpatterns[:] = _urlpatterns()
    settings.ROOT_URLCONF = __name__
    return get_wsgi_application()


# ---------------------------------------------------------------- data


def grow_to_network(today):
    """300 more teachers and five academic years of history around the demo's, in bulk."""
    from django.db import connection
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
    from portfolios.models import EntryStatus, MiniSite, PortfolioEntry, ReportItem, Result
    from reports.models import SelfReport, SelfReportStatus
    from reports.services import academic_year_ensure, rating_build
    from staff.academic import AcademicYear
    from staff.demo import kindergarten as demo_kindergarten
    from staff.models import Category, CategoryDecision, Employee, Position

    rng = random.Random(2026)
    # The demo's kindergarten: every row grown here is hers, as her pages read only hers.
    kindergarten = demo_kindergarten()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    started = time.perf_counter()
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Детский сад №{n}", kind=OrganizationKind.KINDERGARTEN) for n in range(100, 140)]
    )
    new = Employee.objects.bulk_create(
        [
            Employee(
                organization=kindergarten,
                surname=f"Фамилия{n:03d}",
                name="Мария",
                patronymic="Ивановна",
                position=Position.EDUCATOR,
                experience_start=datetime.date(2000 + n % 25, 9, 1),
                hire_date=datetime.date(2010, 9, 1),
            )
            for n in range(NETWORK_TEACHERS)
        ]
    )
    categories = [Category.HIGHEST, Category.FIRST]
    CategoryDecision.objects.bulk_create(
        [
            CategoryDecision(
                employee=e,
                category=categories[i % 2],
                decision_date=datetime.date(2022 + i % 4, 3, 1),
                valid_until=datetime.date(2027 + i % 4, 3, 1),
            )
            for i, e in enumerate(new)
            if i % 5
        ]
    )
    teachers = list(Employee.objects.current().values_list("pk", flat=True))
    current = AcademicYear.current()
    years = [AcademicYear(current.start_year - k) for k in range(YEARS)]
    formats = [f.value for f in EventFormat]
    levels = [lv.value for lv in Level]
    events = []
    for year in years:
        first = datetime.datetime.combine(year.start, datetime.time(10), tzinfo=tz)
        for n in range(EVENTS_PER_YEAR):
            start = first + datetime.timedelta(days=rng.randrange(365), hours=rng.randrange(6))
            held = start + datetime.timedelta(hours=2) < now
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
                    capacity=30,
                    is_open=n % 4 == 0,
                    status=EventStatus.HELD if held else EventStatus.PLANNED,
                    results_published=held and n % 2 == 0,
                    results_text="Итоги: участники представили опыт." if held and n % 2 == 0 else "",
                    results_published_at=start + datetime.timedelta(days=2) if held and n % 2 == 0 else None,
                )
            )
    events = Event.objects.bulk_create(events, batch_size=BATCH)
    by_year = {year: [e for e in events if year.start <= e.start.date() <= year.end] for year in years}
    participations = []
    for teacher in teachers:
        for year in years:
            for event in rng.sample(by_year[year], PARTICIPATIONS_PER_TEACHER_YEAR):
                held = event.status == EventStatus.HELD
                participations.append(
                    Participation(
                        event=event,
                        teacher_id=teacher,
                        role=ParticipationRole.SPEAKER if rng.random() < 0.1 else ParticipationRole.LISTENER,
                        status=ParticipationStatus.ATTENDED if held else ParticipationStatus.SIGNED_UP,
                    )
                )
    Participation.objects.bulk_create(participations, batch_size=BATCH, ignore_conflicts=True)
    items = [i.value for i in ReportItem]
    results = [r.value for r in Result]
    entries = []
    for teacher in teachers:
        for year in years:
            for n in range(ENTRIES_PER_TEACHER_YEAR):
                item = rng.choice(items)
                submitted = year == current and n < 2
                entries.append(
                    PortfolioEntry(
                        teacher_id=teacher,
                        **entry_facts(
                            rng,
                            item=item,
                            title=f"Запись портфолио {year.label} №{n}",
                            date=year.start + datetime.timedelta(days=rng.randrange(365)),
                            levels=levels,
                            results=results,
                        ),
                        is_public=True,
                        status=EntryStatus.SUBMITTED if submitted else EntryStatus.APPROVED,
                        submitted_at=now - datetime.timedelta(days=n) if submitted else None,
                        approved_at=None if submitted else now,
                    )
                )
    PortfolioEntry.objects.bulk_create(entries, batch_size=BATCH)
    stored = {year: academic_year_ensure(year=year) for year in years}
    SelfReport.objects.bulk_create(
        [
            SelfReport(
                teacher_id=teacher,
                academic_year=stored[year],
                status=SelfReportStatus.SUBMITTED if year != current else SelfReportStatus.DRAFT,
                submitted_at=now if year != current else None,
            )
            for teacher in teachers
            for year in years
        ],
        ignore_conflicts=True,
    )
    MiniSite.objects.bulk_create(
        [
            MiniSite(teacher=e, slug=f"network-{i:03d}", published=True, consent_at=now, about="Воспитатель.")
            for i, e in enumerate(new[:100])
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rating_build(year=stored[current], workbook=False, organization=kindergarten)
    settle()
    print(
        f"network data: {len(teachers)} teachers, {len(events)} events, {len(participations)} participations,"
        f" {len(entries)} entries in {time.perf_counter() - started:.1f} s"
    )


def grow_to_city(count):
    """`count` - 1 more kindergartens of CITY_TEACHERS teachers each around the demo's, with five
    academic years of history each, in bulk."""
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
    from portfolios.models import EntryStatus, PortfolioEntry, ReportItem, Result
    from reports.models import SelfReport, SelfReportStatus
    from reports.services import academic_year_ensure, rating_build
    from staff.academic import AcademicYear
    from staff.models import Employee, Position

    rng = random.Random(2027)
    now = timezone.now()
    tz = timezone.get_current_timezone()
    started = time.perf_counter()
    kindergartens = Organization.objects.bulk_create(
        [
            Organization(
                name=f"МБДОУ «Детский сад города № {n:03d}»",
                slug=f"city-{n:03d}",
                kind=OrganizationKind.KINDERGARTEN,
            )
            for n in range(1, count)
        ]
    )
    employees = Employee.objects.bulk_create(
        [
            Employee(
                organization=kindergarten,
                surname=f"Горожанина{k:03d}-{n:02d}",
                name="Мария",
                patronymic="Ивановна",
                position=Position.EDUCATOR,
                experience_start=datetime.date(2000 + n % 25, 9, 1),
                hire_date=datetime.date(2010, 9, 1),
            )
            for k, kindergarten in enumerate(kindergartens)
            for n in range(CITY_TEACHERS)
        ],
        batch_size=BATCH,
    )
    staff_history(employees, batch_size=BATCH)
    current = AcademicYear.current()
    years = [AcademicYear(current.start_year - k) for k in range(YEARS)]
    formats = [f.value for f in EventFormat]
    levels = [lv.value for lv in Level]
    events = []
    for kindergarten in kindergartens:
        for year in years:
            first = datetime.datetime.combine(year.start, datetime.time(10), tzinfo=tz)
            for n in range(CITY_EVENTS_PER_YEAR):
                start = first + datetime.timedelta(days=rng.randrange(365), hours=rng.randrange(6))
                held = start + datetime.timedelta(hours=2) < now
                published = held and n % 2 == 0
                events.append(
                    Event(
                        host=kindergarten,
                        organizer=kindergarten,
                        title=f"Семинар {kindergarten.slug} {year.label} №{n}",
                        format=rng.choice(formats),
                        level=rng.choice(levels),
                        start=start,
                        end=start + datetime.timedelta(hours=2),
                        place="Музыкальный зал",
                        description="Обмен опытом педагогов детского сада.",
                        capacity=30,
                        is_open=n % 4 == 0,
                        status=EventStatus.HELD if held else EventStatus.PLANNED,
                        results_published=published,
                        results_text="Итоги: участники представили опыт." if published else "",
                        results_published_at=start + datetime.timedelta(days=2) if published else None,
                    )
                )
    events = Event.objects.bulk_create(events, batch_size=BATCH)
    hosted = {}
    for event in events:
        hosted.setdefault((event.host_id, event.start.date()), []).append(event)
    by_year = {}
    for (host, day), some in hosted.items():
        for year in years:
            if year.start <= day <= year.end:
                by_year.setdefault((host, year), []).extend(some)
    participations = []
    for teacher in employees:
        for year in years:
            own = by_year.get((teacher.organization_id, year), [])
            for event in rng.sample(own, min(len(own), CITY_PARTICIPATIONS_PER_TEACHER_YEAR)):
                held = event.status == EventStatus.HELD
                participations.append(
                    Participation(
                        event=event,
                        teacher=teacher,
                        role=ParticipationRole.SPEAKER if rng.random() < 0.1 else ParticipationRole.LISTENER,
                        status=ParticipationStatus.ATTENDED if held else ParticipationStatus.SIGNED_UP,
                    )
                )
    Participation.objects.bulk_create(participations, batch_size=BATCH, ignore_conflicts=True)
    items = [i.value for i in ReportItem]
    results = [r.value for r in Result]
    entries = 0
    batch = []
    for teacher in employees:
        for year in years:
            for n in range(CITY_ENTRIES_PER_TEACHER_YEAR):
                item = rng.choice(items)
                batch.append(
                    PortfolioEntry(
                        teacher=teacher,
                        **entry_facts(
                            rng,
                            item=item,
                            title=f"Запись портфолио {year.label} №{n}",
                            date=year.start + datetime.timedelta(days=rng.randrange(365)),
                            levels=levels,
                            results=results,
                        ),
                        is_public=True,
                        status=EntryStatus.APPROVED,
                        approved_at=now,
                    )
                )
        if len(batch) >= BATCH:
            PortfolioEntry.objects.bulk_create(batch)
            entries += len(batch)
            batch = []
    PortfolioEntry.objects.bulk_create(batch)
    entries += len(batch)
    stored = {year: academic_year_ensure(year=year) for year in years}
    SelfReport.objects.bulk_create(
        [
            SelfReport(
                teacher=teacher,
                academic_year=stored[year],
                status=SelfReportStatus.SUBMITTED if year != current else SelfReportStatus.DRAFT,
                submitted_at=now if year != current else None,
            )
            for teacher in employees
            for year in years
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    settle()  # statistics current before the builds read the entries
    for kindergarten in kindergartens:
        rating_build(year=stored[current], workbook=False, organization=kindergarten)
    settle()
    print(
        f"city data: {len(kindergartens)} more kindergartens, {len(employees)} teachers, {len(events)} events,"
        f" {len(participations)} participations, {entries} entries, {len(kindergartens)} rating builds"
        f" in {time.perf_counter() - started:.1f} s"
    )


# ---------------------------------------------------------------- pages


def pages():
    """(label, who, URL) of the main pages; `who` is a demo username or None (anonymous)."""
    from django.urls import reverse
    from django.utils import timezone

    from portfolios.models import MiniSite
    from reports.services import academic_year_ensure, self_report_get_or_create
    from staff.academic import AcademicYear
    from staff.dates import add_months
    from staff.models import Employee

    following = add_months(timezone.localdate().replace(day=1), 1)
    anna_report = self_report_get_or_create(
        teacher=Employee.objects.get(user__username="anna"),
        year=academic_year_ensure(year=AcademicYear.current()),
    )
    # A demo teacher's site: the same page at both sizes.
    site = MiniSite.objects.filter(published=True, teacher__user__isnull=False).order_by("slug").first()
    rows = [
        ("one-query page", None, "/benchmark/one-query/"),
        ("teacher: home", "anna", reverse("home")),
        ("teacher: my page", "anna", reverse("staff:my_page")),
        (
            "teacher: plan of the month",
            "anna",
            reverse("events:month", args=[following.year, following.month]),
        ),
        (
            "teacher: month calendar",
            "anna",
            reverse("events:calendar", args=[following.year, following.month]),
        ),
        ("teacher: my events", "anna", reverse("events:my")),
        ("teacher: portfolio", "anna", reverse("portfolios:my_portfolio")),
        ("teacher: self-report", "anna", reverse("reports:self_report", args=[anna_report.pk])),
        ("office: review queue", "metodist", reverse("portfolios:review")),
        ("office: self-reports", "metodist", reverse("reports:self_reports")),
        ("office: dashboard", "head", reverse("reports:dashboard")),
        ("admin: entries", "metodist", reverse("admin:portfolios_portfolioentry_changelist")),
        ("admin: participations", "metodist", reverse("admin:events_participation_changelist")),
        ("admin: staff", "metodist", reverse("admin:staff_employee_changelist")),
        ("public: open events", None, reverse("events:open_list")),
        ("public: open .ics", None, reverse("events:open_ics")),
        ("public: results", None, reverse("events:results")),
        ("public: results feed", None, reverse("events:results_feed")),
        ("public: mini-sites", None, reverse("site:index")),
    ]
    if site is not None:
        rows.append(("public: a mini-site", None, reverse("site:page", args=[site.slug])))
    return rows


def measure(requests):
    """{label: (median seconds, queries)} of every page."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    def get(label, who, url):
        return clients[who].get(url)

    clients = {None: Client()}
    for username in ("anna", "metodist", "head"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    rows = pages()
    queries = {}
    for label, who, url in rows:
        for _n in range(5):  # warm-up: templates parsed, connection open, cache filled
            response = get(label, who, url)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
        executed = []

        def counted(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            get(label, who, url)
        queries[label] = len(executed)
    # Round after round, one request of each page per round: a load that comes and goes on a shared
    # machine slows every page alike, and the ratio to the one-query page holds.
    times = {label: [] for label, _who, _url in rows}
    for _n in range(requests):
        for label, who, url in rows:
            started = time.perf_counter()
            get(label, who, url)
            times[label].append(time.perf_counter() - started)
    return {label: (statistics.median(times[label]), queries[label], url, who) for label, who, url in rows}


def print_table(demo, network):
    base_demo, base_network = demo["one-query page"][0], network["one-query page"][0]
    print()
    print(
        f"{'page':30} {'demo ms':>8} {'x1q':>6} {'q':>3}   {'network ms':>10} {'x1q':>6} {'q':>3}   {'net/demo':>8}"
    )
    for label, (time_demo, queries_demo, _url, _who) in demo.items():
        time_network, queries_network, _url, _who = network[label]
        ratio_demo, ratio_network = time_demo / base_demo, time_network / base_network
        print(
            f"{label:30} {time_demo * 1000:8.2f} {ratio_demo:6.1f} {queries_demo:3d}"
            f"   {time_network * 1000:10.2f} {ratio_network:6.1f} {queries_network:3d}"
            f"   {ratio_network / ratio_demo:8.2f}"
        )
    print("x1q: the page's median server time over the one-query page's, measured in the same rounds.")
    print("net/demo: network x1q over demo x1q (the load of a shared machine cancels out).")


WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %.2f %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def wrk_run(found):
    """Each page for 10 s, 20 connections, against gunicorn with 2 sync workers (only if wrk is
    here): {label: (requests/s, p50 ms, p95 ms, p99 ms, errors)}."""
    wrk = shutil.which("wrk")
    if wrk is None:
        print("\nwrk not installed (apt-get install wrk): the concurrent run is skipped.")
        return {}
    script = Path(tempfile.mkdtemp(prefix="page-benchmark-wrk-")) / "report.lua"
    script.write_text(WRK_REPORT)
    from django.conf import settings

    cookies = {}
    from django.contrib.auth.models import User
    from django.test import Client

    for username in ("anna", "metodist", "head"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kindergarten_portal.settings", "CACHE_TABLE": ""}
    env["PYTHONPATH"] = (
        f"{Path(__file__).resolve().parent}{os.pathsep}{Path(__file__).resolve().parent.parent}"
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            "127.0.0.1:8765",
            "page_benchmark:wsgi()",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    results = {}
    try:
        time.sleep(3)
        print(
            f"\n{'page (wrk, 20 connections, 10 s)':40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
            f" {'p99 ms':>8} {'errors':>6}"
        )
        for label, (_t, _q, url, who) in found.items():
            header = ["-H", f"Cookie: {cookies[who]}"] if who else []
            # Warm-up, as in the in-process rounds: each worker parses the page's templates once.
            for _n in range(6):
                request = urllib.request.Request(f"http://127.0.0.1:8765{url}")
                if who:
                    request.add_header("Cookie", cookies[who])
                urllib.request.urlopen(request, timeout=30).read()
            out = subprocess.run(
                [wrk, "-t2", "-c20", "-d10s", "-s", str(script), *header, f"http://127.0.0.1:8765{url}"],
                capture_output=True,
                text=True,
            ).stdout
            line = next((line for line in out.splitlines() if line.startswith("RESULT ")), None)
            if line is None:
                print(f"{label:40} wrk printed no result:\n{out}")
                continue
            rate, p50, p95, p99, errors = line.split()[1:]
            results[label] = (float(rate), float(p50), float(p95), float(p99), int(errors))
            print(f"{label:40} {rate:>8} {p50:>8} {p95:>8} {p99:>8} {errors:>6}")
    finally:
        server.terminate()
        server.wait()
    return results


def print_goals(demo, network, concurrent):
    """Issue #12's goals for these pages, each with its figure and met / NOT met."""
    base_demo, base_network = demo["one-query page"][0], network["one-query page"][0]
    print("\nGoals (issue #12)")
    verdicts = []

    def verdict(text, ok):
        verdicts.append(ok)
        print(f"  {'met    ' if ok else 'NOT met'}  {text}")

    def network_over_demo(label):
        return (network[label][0] / base_network) / (demo[label][0] / base_demo)

    for label, (time_demo, _q, _url, _who) in demo.items():
        if not label.startswith("teacher:"):
            continue
        verdict(
            f"{label}: {time_demo * 1000:.2f} ms at demo size, rendered (goal <= {TEACHER_PAGE_MS:g})",
            time_demo * 1000 <= TEACHER_PAGE_MS,
        )
        ratio = network_over_demo(label)
        verdict(
            f"{label}: network/demo {ratio:.2f} (goal <= {NETWORK_OVER_DEMO:g})", ratio <= NETWORK_OVER_DEMO
        )
        if label in concurrent:
            p95 = concurrent[label][2]
            verdict(f"{label}: p95 {p95:.0f} ms under wrk (goal < {P95_MS:g})", p95 < P95_MS)
    one = concurrent.get("one-query page")
    for label, (_t, _q, _url, who) in demo.items():
        if who is None and label != "one-query page" and one and label in concurrent:
            share = concurrent[label][0] / one[0]
            verdict(
                f"{label}: {concurrent[label][0]:.0f} req/s = {share:.0%} of the one-query page's (goal >= {ANONYMOUS_SHARE:.0%})",
                share >= ANONYMOUS_SHARE,
            )
    print(
        f"  {sum(verdicts)} of {len(verdicts)} met"
        + ("" if concurrent else " (no wrk: the concurrent goals were not measured)")
    )


def print_city_table(demo, city, kindergartens):
    """Each signed-in page of the demo's personas: demo vs city, and the goal per page."""
    print(f"\n{kindergartens} kindergartens: the demo's pages on the demo and in the city")
    print(
        f"{'page':30} {'demo ms':>8} {'city ms':>8} {'ratio':>6} {'q demo':>6} {'q city':>6}   goal"
        f" (ratio <= {CITY_OVER_DEMO:g}, queries <= +{CITY_EXTRA_QUERIES})"
    )
    met = total = 0
    for label, (time_demo, queries_demo, _url, who) in demo.items():
        time_city, queries_city, _url, _who = city[label]
        ratio = time_city / time_demo
        if who is None:  # the one-query page and the public pages: no kindergarten's page
            goal = "(reference)" if label == "one-query page" else "(public: the city's lists)"
        else:
            ok = ratio <= CITY_OVER_DEMO and queries_city <= queries_demo + CITY_EXTRA_QUERIES
            met, total = met + ok, total + 1
            goal = "met" if ok else "NOT met"
        print(
            f"{label:30} {time_demo * 1000:8.2f} {time_city * 1000:8.2f} {ratio:6.2f}"
            f" {queries_demo:6d} {queries_city:6d}   {goal}"
        )
    print(f"{met} of {total} kindergarten pages met the goal")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="requests per page (median)")
    parser.add_argument(
        "--city", type=int, metavar="N", help="measure the demo in a city of N kindergartens instead"
    )
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "kindergarten_portal.settings"
    django_on_postgres()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()  # the test client's response context, the in-memory mail outbox
    urlpatterns[:] = _urlpatterns()
    settings.ROOT_URLCONF = __name__
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()  # a Redis of the benchmark's own: nothing from an earlier run
    print(
        f"cache and sessions: {'Redis ' + os.environ['REDIS_URL'] if os.environ.get('REDIS_URL') else 'the database'}"
    )

    build_demo()
    settle()
    demo = measure(args.requests)
    if args.city:
        grow_to_city(args.city)
        from kindergarten_portal.caching.pagecache import bump_public_pages

        bump_public_pages()
        city = measure(args.requests)
        load = os.getloadavg()
        print(
            f"\nPostgreSQL {connection.pg_version}; median of {args.requests} requests per page, in process;"
            f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
        )
        print_city_table(demo, city, args.city)
        return
    grow_to_network(timezone.localdate())
    # Bulk inserts send no signals: the public pages are served afresh, as after `bump_public_pages`.
    from kindergarten_portal.caching.pagecache import bump_public_pages

    bump_public_pages()
    network = measure(args.requests)
    print(f"\nPostgreSQL {connection.pg_version}; median of {args.requests} requests per page, in process")
    print_table(demo, network)
    concurrent = wrk_run(network)
    print_goals(demo, network, concurrent)


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    # A benchmark builds and reads every kindergarten's rows, as a city-wide command does; the
    # requests it makes run in their users' scopes.
    with scopes_disabled():
        main()
