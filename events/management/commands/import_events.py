from events.importing import event_import
from kindergarten_portal.sheets.imports import ImportCommand


class Command(ImportCommand):
    help = "Import a month's event plan from an xlsx workbook (all rows or none); --dry-run only reports."
    importer = staticmethod(event_import)
