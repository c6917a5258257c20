from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from events.importing import event_import


class Command(BaseCommand):
    help = "Import a month's event plan from an xlsx workbook (all rows or none); --dry-run only reports."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, dry_run, **options):
        try:
            handle = open(file, "rb")
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": exc}) from exc
        with handle:
            result = event_import(file=handle, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(count)d error(s).") % {"count": len(result.errors)})
        for row in result.rows:
            start = timezone.localtime(row.start).strftime("%d.%m.%Y %H:%M")
            self.stdout.write(f"{row.row}: {row.action} {start} {row.title}")
        verb = _("Would create") if dry_run else _("Created")
        self.stdout.write(
            _("%(verb)s %(created)d, updated %(updated)d.")
            % {"verb": verb, "created": result.created, "updated": result.updated}
        )
