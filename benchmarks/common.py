"""What the benchmark scripts share (each is run as `python benchmarks/<name>.py`)."""


def ensure_database(url):
    """Create the PostgreSQL database the URL names, unless it exists (the benchmarks own theirs)."""
    import psycopg2

    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def django_on_postgres():
    """Set Django up on DATABASE_URL's PostgreSQL database (created if missing) and migrate it; the
    benchmarks measure PostgreSQL only."""
    import os
    import sys

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("this benchmark needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)


def build_demo():
    """Empty the database and build the demo kindergarten (seed_demo) with the three roles."""
    from django.core.management import call_command

    from kindergarten_portal.access.roles import sync_role_permissions

    call_command("flush", interactive=False, verbosity=0)
    sync_role_permissions()
    call_command("seed_demo", verbosity=0)


def settle():
    """VACUUM (ANALYZE) the database once its data are built, as autovacuum keeps a live one:
    statistics current, hint bits and the visibility map set. Measured straight after a bulk build,
    the first pages race autovacuum's own pass over the new tables (the office's attestation
    calendar: 214-231 ms then, 97-140 ms a minute later)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def entry_facts(rng, *, item, title, date, levels, results):
    """The facts of a made-up portfolio entry of self-report item `item`, as that item asks them: a
    level except for the courses and categories (1.1–1.4), a result for competitions (3.3, 4), 72
    hours for a course, pupils for their results; `levels` and `results` are the choices' values."""
    from portfolios.models import EntryKind

    return {
        "item": item,
        "kind": EntryKind.PUPILS_RESULT if item == "4" else EntryKind.OTHER,
        "title": title,
        "date": date,
        "level": rng.choice(levels) if item not in ("1.1", "1.2", "1.3", "1.4") else "",
        "result": rng.choice(results) if item in ("3.3", "4") else "",
        "hours": 72 if item == "1.4" else None,
        "pupils_count": 5 if item == "4" else None,
        "competition": "Конкурс" if item == "4" else "",
        "organizer": "ИМЦ",
    }


def staff_history(employees, *, batch_size):
    """The staff records a city's teachers carry beside their entries: a category for nine in ten
    (highest, first, conformity in turn, decided 2022–2025) and a 72/36/24-hour course in 2024 each."""
    import datetime

    from staff.models import Category, CategoryDecision, Training, TrainingKind

    categories = [Category.HIGHEST, Category.FIRST, Category.CONFORMITY]
    CategoryDecision.objects.bulk_create(
        [
            CategoryDecision(
                employee=e,
                category=categories[i % 3],
                decision_date=datetime.date(2022 + i % 4, 3, 1),
                valid_until=datetime.date(2027 + i % 4, 3, 1),
            )
            for i, e in enumerate(employees)
            if i % 10
        ],
        batch_size=batch_size,
    )
    Training.objects.bulk_create(
        [
            Training(
                employee=e,
                kind=TrainingKind.COURSE,
                programme="Современные образовательные технологии в ДОО",
                hours=[24, 36, 72][i % 3],
                start_date=datetime.date(2024, 1, 10),
                end_date=datetime.date(2024, 1, 24),
            )
            for i, e in enumerate(employees)
        ],
        batch_size=batch_size,
    )
