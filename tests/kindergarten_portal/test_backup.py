"""`backup` and `restore` end to end on PostgreSQL: what comes back equals what went in."""

import io
import urllib.parse
import uuid
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from events.models import ExternalParticipant
from kindergarten_portal.files.backups import sha256
from staff.access import staff_record
from tests.events.factories import EventFactory, ExternalParticipantFactory, ParticipationFactory
from tests.factories import teacher_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("requires_postgres")]


def _url(name):
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def _server(name):
    db = connection.settings_dict
    server = psycopg2.connect(
        dbname=name,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
    )
    server.autocommit = True
    return closing(server)


def _row_counts(name):
    with _server(name) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def _checksums(root):
    return {
        str(path.relative_to(root)): sha256(path) for path in sorted(Path(root).rglob("*")) if path.is_file()
    }


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield name
    with _server("postgres") as server, server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def portal_with_data(settings):
    """A small portal: teachers, events, sign-ups, a colleague's registration and three uploads."""
    anna = teacher_user("anna", surname="Антонова")
    event = EventFactory(is_open=True, capacity=5)
    ParticipationFactory(event=event, teacher=staff_record(anna))
    ExternalParticipantFactory(event=event)
    teacher_user("boris", surname="Борисова")
    default_storage.save(
        "portfolios/2026/скан диплома.pdf", ContentFile(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    )
    default_storage.save("staff/photos/anna.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"\x00\x17" * 999))
    default_storage.save("events/photos/show.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x42" * 5000))
    return settings.MEDIA_ROOT


def _backup(tmp_path):
    out = io.StringIO()
    call_command("backup", backup_dir=tmp_path / "backups", stdout=out)
    (folder,) = (tmp_path / "backups").iterdir()
    assert str(folder) in out.getvalue()
    return folder


def test_a_backup_restores_into_an_empty_database_with_equal_rows_and_files(
    portal_with_data, tmp_path, restored_name, monkeypatch
):
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "hunter2-not-in-backups")
    monkeypatch.setenv("REDIS_URL", "redis://portal:s3cret-word@cache.local:6379/0")
    monkeypatch.setenv("TIME_ZONE", "Asia/Yekaterinburg")
    # Read for the note only: the dump goes through the settings the suite started with.
    monkeypatch.setenv("DATABASE_URL", "postgres://portal:db-pass-word@db.local:5432/portal")
    folder = _backup(tmp_path)
    assert sorted(path.name for path in folder.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "environment.txt",
        "media.tar.gz",
    ]
    note = (folder / "environment.txt").read_text()
    assert "TIME_ZONE=Asia/Yekaterinburg" in note
    assert "DATABASE_URL=postgres://portal:***@db.local:5432/portal" in note
    assert "REDIS_URL=redis://portal:***@cache.local:6379/0" in note
    assert "EMAIL_HOST_PASSWORD=<secret, not recorded>" in note
    assert "SECRET_KEY=<secret, not recorded>" in note
    assert (
        "hunter2" not in note
        and "s3cret" not in note
        and "db-pass" not in note
        and "tests-only-secret-key" not in note
    )

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        str(folder),
        database_url=_url(restored_name),
        media_root=restored_media,
        stdout=io.StringIO(),
    )

    original = _row_counts(connection.settings_dict["NAME"])
    assert len(original) >= 30  # every table of every app, django_migrations and the cache table too
    assert original["events_externalparticipant"] == ExternalParticipant.objects.count() == 1
    assert original["staff_employee"] == 2
    assert _row_counts(restored_name) == original
    files = _checksums(portal_with_data)
    assert len(files) == 3
    assert _checksums(restored_media) == files


def test_restore_refuses_a_database_that_has_tables(portal_with_data, tmp_path):
    folder = _backup(tmp_path)
    before = _row_counts(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match=connection.settings_dict["NAME"]):
        call_command(
            "restore",
            str(folder),
            database_url=_url(connection.settings_dict["NAME"]),
            media_root=tmp_path / "m",
        )
    assert _row_counts(connection.settings_dict["NAME"]) == before
    assert not (tmp_path / "m").exists()


def test_restore_refuses_a_media_folder_with_files_and_creates_no_database(
    portal_with_data, tmp_path, restored_name
):
    folder = _backup(tmp_path)
    with pytest.raises(CommandError, match=str(portal_with_data)):
        call_command("restore", str(folder), database_url=_url(restored_name), media_root=portal_with_data)
    with _server("postgres") as server, server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [restored_name])
        assert cursor.fetchone() is None


def test_restore_refuses_a_damaged_backup(portal_with_data, tmp_path, restored_name):
    folder = _backup(tmp_path)
    with open(folder / "media.tar.gz", "ab") as archive:
        archive.write(b"\x00")
    with pytest.raises(CommandError, match="media.tar.gz"):
        call_command("restore", str(folder), database_url=_url(restored_name), media_root=tmp_path / "m")
