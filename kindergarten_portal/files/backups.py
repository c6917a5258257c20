"""Backups that restore: the database (pg_dump's custom format), the uploaded files and a note of
the environment, in one dated folder; restored into an EMPTY database (a dump restored over a
migrated one fails object by object and leaves tables half-filled).

Used by the `backup` and `restore` management commands (`make backup`, `make restore`).
"""

import hashlib
import os
import re
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

import dj_database_url
import django
import psycopg2
from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

DUMP = "database.dump"
MEDIA = "media.tar.gz"
ENVIRONMENT = "environment.txt"
CHECKSUMS = "SHA256SUMS"
# Recorded by name only: their values belong in the password store, not beside the data.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")
URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
MASKED = r"\1***@"
SETTINGS_VARIABLE = re.compile(r"\b(?:environ\.get\(|environ\[|env_\w+\()\s*[\"']([A-Z][A-Z0-9_]+)[\"']")


def database_of(url=None):
    """The connection settings of `url`, or of the portal's database; PostgreSQL only."""
    db = dj_database_url.parse(url) if url else settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise CommandError(_("Backups and restores need PostgreSQL (DATABASE_URL=postgres://…)."))
    return db


def _tool(db, program, *arguments):
    """Run a PostgreSQL client program against `db`; CommandError with its message if it fails."""
    command = [program]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    result = subprocess.run([*command, *arguments], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{program}: {result.stderr.strip()}")
    return result.stdout


def _connect(db, name):
    """A psycopg2 connection to database `name` on the server of `db`, in autocommit mode (CREATE
    DATABASE runs outside a transaction); use it with contextlib.closing."""
    connection = psycopg2.connect(
        dbname=name,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )
    connection.autocommit = True
    return connection


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def environment_note(now):
    """The environment variables settings.py reads, as this run sees them; secrets by name only.
    The names come from settings.py itself, so a setting added later is never left out."""
    source = Path(settings.BASE_DIR / "kindergarten_portal" / "settings.py").read_text()
    # dj-database-url reads DATABASE_URL itself.
    names = sorted(set(SETTINGS_VARIABLE.findall(source)) | {"DATABASE_URL"})
    lines = [
        f"# Portal backup of {now.isoformat(timespec='seconds')}; Django {django.get_version()}.",
        "# The environment the portal ran with. Secrets are not written here: take them from the",
        "# password store. Unset variables take the defaults of this code version (docs/configuration.md).",
    ]
    for name in names:
        value = os.environ.get(name)
        if value is None:
            lines.append(f"# {name} (unset)")
        elif SECRET_NAME.search(name):
            lines.append(f"{name}=<secret, not recorded>")
        else:
            lines.append(f"{name}={URL_PASSWORD.sub(MASKED, value)}")
    return "\n".join(lines) + "\n"


def backup_create(*, backup_dir, now=None) -> Path:
    """Write a new dated folder under `backup_dir` with the dump, the media archive, the
    environment note and their checksums; returns the folder."""
    now = now or timezone.localtime()
    db = database_of()
    folder = Path(backup_dir) / now.strftime("%Y-%m-%d_%H%M%S")
    folder.mkdir(parents=True)  # never into an existing folder
    _tool(db, "pg_dump", "--format=custom", "--file", str(folder / DUMP), db["NAME"])
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            for path in sorted(media_root.iterdir()):
                archive.add(path, arcname=path.name)
    (folder / ENVIRONMENT).write_text(environment_note(now))
    (folder / CHECKSUMS).write_text("".join(f"{sha256(folder / name)}  {name}\n" for name in (DUMP, MEDIA)))
    return folder


def _check_folder(folder):
    if not (folder / CHECKSUMS).is_file():
        raise CommandError(
            _("%(folder)s is not a portal backup (no %(file)s).") % {"folder": folder, "file": CHECKSUMS}
        )
    for line in (folder / CHECKSUMS).read_text().splitlines():
        expected, name = line.split(maxsplit=1)
        if not (folder / name).is_file() or sha256(folder / name) != expected:
            raise CommandError(
                _("%(file)s is missing or damaged; the backup cannot be trusted.") % {"file": name}
            )


def _table_count(db):
    """The number of tables in `db`, or None when it does not exist."""
    with closing(_connect(db, "postgres")) as maintenance, maintenance.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            return None
    with closing(_connect(db, db["NAME"])) as target, target.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def backup_restore(*, folder, database_url=None, media_root=None) -> str:
    """Restore the backup in `folder` into an empty database (created when missing) and an empty
    media folder; refuses, changing nothing, when either holds data. Returns the database name."""
    folder = Path(folder)
    db = database_of(database_url)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    _check_folder(folder)
    tables = _table_count(db)
    if tables:
        raise CommandError(
            _(
                "The database %(name)s already has %(count)d tables. A backup is restored into an empty "
                "database: create a new one (createdb) or drop this one first."
            )
            % {"name": db["NAME"], "count": tables}
        )
    if media_root.is_dir() and any(media_root.iterdir()):
        raise CommandError(
            _("%(folder)s is not empty; the files are restored into an empty folder.")
            % {"folder": media_root}
        )
    if tables is None:
        with closing(_connect(db, "postgres")) as maintenance, maintenance.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    # Objects belong to the restoring user; the old roles need not exist on the new server.
    _tool(
        db,
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        db["NAME"],
        str(folder / DUMP),
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return db["NAME"]
