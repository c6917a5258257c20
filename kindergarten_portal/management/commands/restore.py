from pathlib import Path

from django.utils.translation import gettext as _

from kindergarten_portal.files.backups import ENVIRONMENT, backup_restore
from kindergarten_portal.tenancy import CityWideCommand


class Command(CityWideCommand):
    help = (
        "Restore a folder written by `backup` into an empty PostgreSQL database (created when it does "
        "not exist) and an empty MEDIA_ROOT. Refuses, changing nothing, when either already holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database-url", help="default: DATABASE_URL")
        parser.add_argument("--media-root", type=Path, help="default: MEDIA_ROOT")

    def handle(self, *args, folder, database_url=None, media_root=None, **options):
        name = backup_restore(folder=folder, database_url=database_url, media_root=media_root)
        self.stdout.write(
            _(
                "Restored into the database %(name)s. Set the environment as %(note)s says (secrets from "
                "the password store), then run `manage.py migrate` if this code is newer than the backup."
            )
            % {"name": name, "note": folder / ENVIRONMENT}
        )
