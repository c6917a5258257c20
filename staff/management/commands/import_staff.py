from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from staff.services import staff_import


class Command(BaseCommand):
    help = "Import staff from an xlsx workbook (all rows or none); --dry-run only reports."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, dry_run, **options):
        try:
            handle = open(file, "rb")
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": exc}) from exc
        with handle:
            result = staff_import(file=handle, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(count)d error(s).") % {"count": len(result.errors)})
        for row in result.rows:
            if row.action != "unchanged":
                self.stdout.write(f"{row.row}: {row.action} {row.full_name}")
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            message = _(
                "Dry run, nothing written: would create %(created)d, update %(updated)d; %(unchanged)d unchanged."
            )
        else:
            message = _("Created %(created)d, updated %(updated)d; %(unchanged)d unchanged.")
        self.stdout.write(message % counts)
