from django.utils import timezone

from events.importing import event_import
from kindergarten_portal.spreadsheets import ImportCommand


class Command(ImportCommand):
    help = "Import a month's event plan from an xlsx workbook (all rows or none); --dry-run only reports."
    importer = staticmethod(event_import)

    def describe_row(self, row):
        return f"{timezone.localtime(row.start):%d.%m.%Y %H:%M} {row.title}"
