"""Reading and writing xlsx the same way everywhere: imports (staff, event plans) and exports.

Imports are all-or-nothing: these helpers only read and locate; each app validates its own rows.
"""

import datetime
import zipfile
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

DATE_FORMAT = "DD.MM.YYYY"


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation: the header text in the template, accepted in Russian and English
    required: bool = False


@dataclass
class ImportIssue:
    """One problem of an import, named by row and column (row None: the whole file)."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)d, column «%(column)s»: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


def norm(text) -> str:
    """Compare names the way people type them: case, ё/е and spacing do not matter."""
    return " ".join(str(text or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def choice_lookup(choices_cls) -> dict:
    """Accept a choice by its code or by its label in Russian or English."""
    lookup = {}
    for value, label in choices_cls.choices:
        lookup[norm(value)] = value
        for lang in ("ru", "en"):
            with translation.override(lang):
                lookup[norm(str(label))] = value
    return lookup


def parse_date(value):
    """A date from a date cell or from text DD.MM.YYYY (also YYYY-MM-DD); ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_first_sheet(file) -> list[list]:
    """Rows of the first sheet as lists of cell values; ValueError with a message if unreadable."""
    try:
        file.seek(0)
    except (AttributeError, OSError):
        pass
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValueError(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        return [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def locate_columns(sheet, columns) -> tuple[int | None, dict, list]:
    """Find the header row (the first non-blank one) and where each known column stands.

    Headers match a column's key or its label in Russian or English (a trailing * is ignored).
    Returns (header row index or None, {key: position}, [ImportIssue for each missing column]).
    """
    header_index = next((i for i, row in enumerate(sheet) if any(cell_text(v) for v in row)), None)
    if header_index is None:
        return None, {}, [ImportIssue(None, "", _("The sheet is empty."))]
    headers = {}
    for column in columns:
        headers[norm(column.key)] = column
        for lang in ("ru", "en"):
            with translation.override(lang):
                headers[norm(str(column.label))] = column
    positions = {}
    for index, value in enumerate(sheet[header_index]):
        column = headers.get(norm(cell_text(value).rstrip("*").strip()))
        if column is not None and column.key not in positions:
            positions[column.key] = index
    issues = [
        ImportIssue(None, "", _("Required column «%(column)s» is missing.") % {"column": column.label})
        for column in columns
        if column.required and column.key not in positions
    ]
    return header_index, positions, issues


def text_cell(ws, value):
    """A write-only string cell that is never read as a formula, whatever it starts with (= + - @)."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    return cell


def read_table(file, columns) -> tuple[list, int | None, dict, list]:
    """Read the first sheet and locate its columns: (rows, header index, positions, issues).

    Any issue (not a workbook, an empty sheet, a missing required column) means the import stops.
    """
    try:
        sheet = read_first_sheet(file)
    except ValueError as exc:
        return [], None, {}, [ImportIssue(None, "", str(exc))]
    header_index, positions, issues = locate_columns(sheet, columns)
    return sheet, header_index, positions, issues


class ImportCommand(BaseCommand):
    """`manage.py import_… FILE.xlsx [--dry-run]`: all rows or none; exits non-zero on errors.

    Subclasses name the service (`importer`, called with file= and dry_run=) and how a row reads.
    """

    importer = None

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def describe_row(self, row) -> str:
        return str(getattr(row, "full_name", "") or getattr(row, "title", ""))

    def handle(self, *args, file, dry_run, **options):
        try:
            handle = open(file, "rb")
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": exc}) from exc
        with handle:
            result = type(self).importer(file=handle, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(count)d error(s).") % {"count": len(result.errors)})
        for row in result.rows:
            if row.action != "unchanged":
                self.stdout.write(f"{row.row}: {row.action} {self.describe_row(row)}")
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": getattr(result, "unchanged", 0),
        }
        if dry_run:
            message = _(
                "Dry run, nothing written: would create %(created)d, update %(updated)d; %(unchanged)d unchanged."
            )
        else:
            message = _("Created %(created)d, updated %(updated)d; %(unchanged)d unchanged.")
        self.stdout.write(message % counts)
