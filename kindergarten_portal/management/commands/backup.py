from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kindergarten_portal.files.backups import backup_create
from kindergarten_portal.tenancy import CityWideCommand


class Command(CityWideCommand):
    help = (
        "Back up the portal into a new dated folder under BACKUP_DIR: the database (pg_dump, custom "
        "format), the uploaded files (MEDIA_ROOT) and a note of the environment without its secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backup-dir", type=Path, help="default: BACKUP_DIR (./backups)")

    def handle(self, *args, backup_dir=None, **options):
        folder = backup_create(backup_dir=backup_dir or settings.BACKUP_DIR)
        self.stdout.write(_("Backup written to %(folder)s") % {"folder": folder})
