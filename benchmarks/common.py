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
