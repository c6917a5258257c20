from kindergarten_portal.sheets.imports import ImportCommand
from staff.importing import staff_import


class Command(ImportCommand):
    help = "Import staff from an xlsx workbook (all rows or none); --dry-run only reports."
    importer = staticmethod(staff_import)
