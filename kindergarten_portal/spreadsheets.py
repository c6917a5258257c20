"""Reading and writing xlsx the same way everywhere: imports (staff, event plans) and exports.

Imports are all-or-nothing: these helpers only read and locate; each app validates its own rows.
Every workbook we hand out is written through `Sheet` (the house style) and downloaded through
`xlsx_response`.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.http import FileResponse, HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.page import PageMargins

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an upload field offers to pick: the extension and the content type.
XLSX_ACCEPT = f".xlsx,{XLSX_CONTENT_TYPE}"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MONTH_FORMAT = "MM.YYYY"
POINTS_FORMAT = "0.0"
PERCENT_FORMAT = "0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FONT = Font(bold=True)
MAX_WIDTH = 60  # a column never grows wider; longer text wraps inside it
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTERED = Alignment(wrap_text=True, vertical="top", horizontal="center")
CENTERED = Alignment(horizontal="center")
TOP = Alignment(vertical="top")
CENTERED_TOP = Alignment(horizontal="center", vertical="top")
LINE_HEIGHT = 15  # points per line of a wrapped row

# Printing: A4 landscape with 1.27 cm side margins leaves 27.2 cm, about 146 column-width units
# (one unit: a digit of the default 11 pt font, 0.185 cm) at 100%. Sheets are fitted to the page
# width; kept within PRINT_WIDTH_MAX units they print at MIN_PRINT_SCALE % or more.
PRINT_WIDTH_AT_100 = 146
MIN_PRINT_SCALE = 70
PRINT_WIDTH_MAX = PRINT_WIDTH_AT_100 * 100 // MIN_PRINT_SCALE  # 208
MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)  # inches


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


# ---------------------------------------------------------------- writing


def new_workbook(title=None) -> Workbook:
    """An empty write-only workbook (rows stream to disk, memory stays flat) for `Sheet`s."""
    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = str(title)
    return workbook


def workbook_bytes(workbook: Workbook, out=None) -> bytes | None:
    """Save the workbook into `out` (a binary file) when given, else return its bytes."""
    if out is not None:
        workbook.save(out)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook, filename: str):
    """A download of a workbook (an openpyxl Workbook, its bytes or an open binary file) named
    `filename` (any language: the header is encoded as browsers expect)."""
    if hasattr(workbook, "read"):
        return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    content = workbook_bytes(workbook) if isinstance(workbook, Workbook) else workbook
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _display_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float):
        return len(f"{value:.1f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(headers, rows, minimum=6) -> list[int]:
    """Column widths from the longest value of each column (headers wrap, so count their longest word)."""
    widths = [max([minimum, *(len(word) for word in str(h).split())]) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_length(value))
    return [min(width + 2, MAX_WIDTH) for width in widths]


def print_scale(widths) -> int:
    """The scale (%) a sheet of these column widths prints at, fitted to the width of A4 landscape."""
    total = sum(widths)
    return 100 if total <= PRINT_WIDTH_AT_100 else PRINT_WIDTH_AT_100 * 100 // total


def print_widths(widths, headers, wrap, budget=PRINT_WIDTH_MAX, narrowest=16) -> list[int]:
    """Narrow the text columns `wrap` (indexes) until the sheet prints at MIN_PRINT_SCALE or more:
    their text then wraps (Sheet does it, with row heights). A column never goes below its header's
    longest word or `narrowest`, and the others keep their fitted width."""
    widths = list(widths)
    floors = {i: max(narrowest, *(len(word) + 2 for word in str(headers[i]).split())) for i in wrap}
    while sum(widths) > budget:
        wide = [i for i in wrap if widths[i] > floors[i]]
        if not wide:
            break
        widest = max(wide, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _lines(text: str, width: int, narrowest: int) -> int:
    """How many lines text takes wrapped in a column of that width (ceiling division)."""
    return -(-len(text) // max(width - 2, narrowest))


class Sheet:
    """A write-only worksheet in the house style: a bold shaded header row that wraps and repeats on
    every printed page, fixed column widths, the panes frozen under the header, a filter over the
    table (`close_table`), A4 landscape fitted to the page width; cells formatted by value (`cell`).
    Text longer than its column wraps inside it, and its row gets the height of its lines.

    `centered` columns (indexes) are centred: a number or date column followed by a text column is
    centred so that «1» and «Антонова» never read as one. `repeat_header=False` for a sheet with
    other blocks below its table (their own headers), where a repeated first row would mislead.

    Everything a write-only sheet writes before its rows (widths, panes, print set-up) is set here,
    before the header row goes in.
    """

    def __init__(self, workbook, title, headers, widths, formats=None, centered=(), repeat_header=True):
        self.ws = workbook.create_sheet(str(title)[:31])
        self.headers = [str(h) for h in headers]
        self.widths = list(widths)
        self.formats = formats or {}  # {column index: number format} where the default does not fit
        self.centered = frozenset(centered)
        self.rows_written = 0
        self.last_row = 1  # the header
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = 9  # A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        # What the fit gives; programs that ignore fitting print at this scale.
        self.ws.page_setup.scale = print_scale(self.widths)
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_margins = MARGINS
        if repeat_header:
            self.ws.print_title_rows = "1:1"
        header_lines = max(
            (_lines(text, width, 6) for text, width in zip(self.headers, self.widths, strict=False)),
            default=1,
        )
        if header_lines > 1:
            self.ws.row_dimensions[1].height = LINE_HEIGHT * min(header_lines, 4)
        self.ws.append([self._header(text) for text in self.headers])

    def _header(self, text):
        cell = WriteOnlyCell(self.ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        return cell

    def cell(self, value, *, bold=False, number_format=None, wrap=None, centered=False, top=False):
        """A cell for any value: text is always text (never a formula, whatever it starts with),
        dates read DD.MM.YYYY, points 0.0; `number_format` overrides the format of a date or number.
        Text wraps when `wrap` says so (by default: longer than MAX_WIDTH); `top` aligns the cell to
        the top, as every cell of a row with wrapped text is, so the row reads as one line.

        Plain values (numbers, empty cells, text that cannot be read as a formula) go in as they are:
        a styled cell object costs ten times more, which shows on a 300 000-row details sheet.
        """
        if isinstance(value, Cell):  # already made for a special format
            return value
        long_text = isinstance(value, str) and (len(value) > MAX_WIDTH if wrap is None else wrap)
        if (
            not bold
            and not long_text
            and not centered
            and not top
            and number_format is None
            and (value is None or isinstance(value, int) or (isinstance(value, str) and value[:1] != "="))
        ):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if long_text:  # wraps inside its column instead of running across the printed page
            cell.alignment = WRAP_CENTERED if centered else WRAP
        elif centered:
            cell.alignment = CENTERED_TOP if top else CENTERED
        elif top:
            cell.alignment = TOP
        if isinstance(value, str):
            if value:
                cell.data_type = "s"
        elif isinstance(value, datetime.datetime):
            cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            cell.number_format = number_format or DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = number_format or DATE_FORMAT
        elif isinstance(value, Decimal):
            cell.value = float(value)
            cell.number_format = number_format or POINTS_FORMAT
        elif isinstance(value, int | float) and number_format:
            cell.number_format = number_format
        if bold:
            cell.font = TOTAL_FONT
        return cell

    def append(self, values, *, bold=False):
        """One row; a row with text longer than its column gets the height of its wrapped lines."""
        self.last_row += 1
        lines = max((self._lines(index, value) for index, value in enumerate(values)), default=1)
        if lines > 1:  # write-only rows are not measured by spreadsheet programs: say the height
            self.ws.row_dimensions[self.last_row].height = LINE_HEIGHT * lines
        formats, centered = self.formats, self.centered
        self.ws.append(
            [
                self.cell(
                    value,
                    bold=bold,
                    number_format=formats.get(index),
                    wrap=self._wraps(index, value),
                    centered=index in centered,
                    top=lines > 1,
                )
                for index, value in enumerate(values)
            ]
        )
        self.rows_written += 1

    def _wraps(self, index, value):
        """Text wraps when longer than its column (beyond the last column: longer than MAX_WIDTH)."""
        if not isinstance(value, str):
            return False
        if index >= len(self.widths):
            return None
        return len(value) > self.widths[index] - 2

    def _lines(self, index, value):
        if not self._wraps(index, value):
            return 1
        return _lines(value, self.widths[index], 10)

    def blank(self):
        self.last_row += 1
        self.ws.append([])

    def close_table(self):
        """The autofilter over the header and the rows written so far."""
        last_column = get_column_letter(len(self.headers))
        self.ws.auto_filter.ref = f"A1:{last_column}{self.rows_written + 1}"


def import_template(*, title, columns, example, min_width, widths=None) -> bytes:
    """An import workbook to fill in: the columns' headers (required ones marked *) and one example
    row; each column as wide as its header, at least `min_width`, or as `widths` ({key: width}) says."""
    widths = widths or {}
    headers = [str(c.label) + (" *" if c.required else "") for c in columns]
    workbook = new_workbook()
    sheet = Sheet(
        workbook,
        title,
        headers,
        [widths.get(c.key, max(min_width, len(str(c.label)) + 4)) for c in columns],
    )
    sheet.append(example)
    sheet.close_table()
    return workbook_bytes(workbook)
