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
