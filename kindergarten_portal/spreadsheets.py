"""Reading and writing xlsx the same way everywhere: imports (staff, event plans) and exports.

Imports are all-or-nothing: these helpers only read and locate; each app validates its own rows.
Every workbook we hand out is written through `Sheet` (the house style) and downloaded through
`xlsx_response`.
"""

import datetime
import io
import re
import zipfile
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.http import FileResponse, HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TIME_TYPES, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import is_date_format
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
ALIGNMENTS = {
    "wrap": WRAP,
    "wrap-centered": WRAP_CENTERED,
    "centered": CENTERED,
    "centered-top": CENTERED_TOP,
    "top": TOP,
}
LINE_HEIGHT = 15  # points per line of a wrapped row

# Printing: A4 landscape with 1.27 cm side margins leaves 27.2 cm, about 146 column-width units
# (one unit: a digit of the default 11 pt font, 0.185 cm) at 100%. Sheets are fitted to the page
# width; kept within PRINT_WIDTH_MAX units they print at MIN_PRINT_SCALE % or more.
PRINT_WIDTH_AT_100 = 146
MIN_PRINT_SCALE = 70
PRINT_WIDTH_MAX = PRINT_WIDTH_AT_100 * 100 // MIN_PRINT_SCALE  # 208
MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)  # inches


# ---------------------------------------------------------------- reading

# What one import takes: more is refused at once, before a row is read.
MAX_DATA_ROWS = 5000
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
# An xlsx packs text about 10-20 times; a member packed far tighter than that is a compressed bomb.
MAX_PACKING_RATIO = 200
HEADER_SEARCH_ROWS = 15  # the header is looked for among the first rows (titles and notes above it)


# «№», «№ п/п», «No»: the rows' numbers, neither imported nor worth listing as ignored.
ROW_NUMBER_HEADERS = {"", "п п", "no", "n", "нпп"}


class ImportRefused(ValueError):
    """The whole file is refused (not a workbook, too large, a compressed bomb); str() says why."""


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation: the header text in the template, accepted in Russian and English
    required: bool = False
    aliases: tuple = ()  # other headers offices write for it (Russian), compared by `keyed`


@dataclass
class ImportIssue:
    """One problem of an import, named by row and column (row None: the whole file); `sheet` names the
    sheet when the workbook has several."""

    row: int | None
    column: str
    message: str
    sheet: str = ""

    def __str__(self):
        if self.row is None:
            text = self.message
        elif self.column:
            text = _("Row %(row)d, column «%(column)s»: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        else:
            text = _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        if self.sheet:
            return _("Sheet «%(sheet)s», %(text)s") % {
                "sheet": self.sheet,
                "text": text[:1].lower() + text[1:],
            }
        return text


def norm(text) -> str:
    """Compare names the way people type them: case, ё/е and spacing do not matter."""
    return " ".join(str(text or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


_PUNCTUATION = re.compile(r"[^\w]+")


def keyed(text) -> str:
    """Compare headers and choices as offices write them: as `norm`, and punctuation does not matter
    either («Пед. стаж с», «Педагогический стаж, с»; «семинар-практикум», «семинар практикум»)."""
    return " ".join(_PUNCTUATION.sub(" ", norm(text).replace("*", " ")).split())


def clean_name(text) -> str:
    """A name as it is stored: the surrounding and double spaces gone, its spelling kept."""
    return " ".join(cell_text(text).split())


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0, 0):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def choice_lookup(choices_cls, synonyms=None) -> dict:
    """Accept a choice by its code, its label in Russian or English, or a usual synonym
    (`synonyms`: {value: [names]}); read it with `choice_of`."""
    lookup = {}
    for value, label in choices_cls.choices:
        lookup[keyed(value)] = value
        for lang in ("ru", "en"):
            with translation.override(lang):
                lookup[keyed(str(label))] = value
    for value, names in (synonyms or {}).items():
        for name in names:
            lookup[keyed(name)] = value
    return lookup


def choice_of(lookup, value):
    """The choice a cell names, or None."""
    return lookup.get(keyed(cell_text(value)))


def choice_names(choices_cls) -> str:
    """The labels of the choices in the current language, for «accepted: …» in a message."""
    return ", ".join(str(label) for _value, label in choices_cls.choices)


def accepted(message, choices_cls) -> str:
    return f"{message} " + _("Accepted: %(choices)s.") % {"choices": choice_names(choices_cls)}


# Month names as dates are written in words: «1 сентября 2010 г.», «3 янв. 2025», «май 2024» aside.
_MONTHS = {
    word: number
    for number, words in enumerate(
        (
            ("января", "январь", "янв"),
            ("февраля", "февраль", "фев", "февр"),
            ("марта", "март", "мар"),
            ("апреля", "апрель", "апр"),
            ("мая", "май"),
            ("июня", "июнь", "июн"),
            ("июля", "июль", "июл"),
            ("августа", "август", "авг"),
            ("сентября", "сентябрь", "сен", "сент"),
            ("октября", "октябрь", "окт"),
            ("ноября", "ноябрь", "ноя", "нояб"),
            ("декабря", "декабрь", "дек"),
        ),
        start=1,
    )
    for word in words
}
_WORDS_DATE = re.compile(r"^(\d{1,2})\s+([а-я]+)\.?\s+(\d{4})\s*(г|года?)?\.?$")
# Excel stores a date as a day count; counts from 1927 to 2099 are taken as dates in a date column.
_SERIALS = range(10000, 73051)


def _serial_date(number):
    return (EXCEL_EPOCH + datetime.timedelta(days=int(number))).date()


EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


def parse_date(value):
    """A date as people type it: a date cell, an Excel day number, DD.MM.YYYY, D.M.YY, YYYY-MM-DD,
    DD/MM/YYYY, «1 сентября 2010 г.»; None for an empty cell, ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value in _SERIALS or (isinstance(value, float) and int(value) in _SERIALS):
            return _serial_date(value)
        raise ValueError(cell_text(value))
    text = " ".join(str(value).split()).rstrip(".").strip()
    text = re.sub(r"\s*г(ода?)?$", "", text)  # «01.09.2010 г.»
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if text.isdigit() and int(text) in _SERIALS:
        return _serial_date(int(text))
    words = _WORDS_DATE.match(norm(str(value)))
    if words and words.group(2) in _MONTHS:
        day, month, year = int(words.group(1)), _MONTHS[words.group(2)], int(words.group(3))
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(cell_text(value))


_TIME = re.compile(r"(\d{1,2})\s*[:.\-]\s*(\d{2})")


def _time(hours, minutes):
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError
    return datetime.time(hours, minutes)


def parse_time_range(value) -> tuple:
    """(start, end or None) from a time cell, an Excel day fraction, «10:00», «10.00», «10-00» or a
    range «10:00–12:00» / «с 10.00 до 12.00»; (None, None) for an empty cell, ValueError otherwise."""
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0), None
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0), None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            if 0 <= value < 1:  # a time cell stores the part of a day
                minutes = round(value * 24 * 60)
                return _time(minutes // 60, minutes % 60), None
            hours = int(value)  # «10,30» typed in a Russian Excel is the number 10.3
            return _time(hours, round((value - hours) * 100)), None
        except ValueError:
            raise ValueError(cell_text(value)) from None
    text = str(value)
    found = _TIME.findall(text)
    rest = _TIME.sub("", text)
    if not found or len(found) > 2 or re.search(r"\d", rest):
        raise ValueError(cell_text(value))
    try:
        times = [_time(int(h), int(m)) for h, m in found]
    except ValueError:
        raise ValueError(cell_text(value)) from None
    return times[0], (times[1] if len(times) > 1 else None)


def parse_whole_number(value, *, units=()) -> int | None:
    """A whole number as typed («72», 72.0, «72 ч.» when «ч» is among `units`); None if empty,
    ValueError otherwise."""
    text = cell_text(value)
    if not text:
        return None
    number = re.fullmatch(r"(\d+)\s*(.*)", norm(text))
    if number and all(word in units for word in keyed(number.group(2)).split()):
        return int(number.group(1))
    raise ValueError(text)


def _rewind(file):
    try:
        file.seek(0)
    except (AttributeError, OSError):
        pass


def open_workbook(file):
    """The upload opened read-only (rows stream, memory stays flat) after checking its size.

    The zip's declared sizes are checked before openpyxl opens anything: unpacked over
    MAX_UNPACKED_BYTES, or a member packed beyond any spreadsheet's ratio, is refused. Python's zip
    reader never unpacks more than a member declares, so a lying size cannot slip past.
    Raises ImportRefused with the message. Close the workbook when done.
    """
    _rewind(file)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            _("The file unpacks to %(size)d MB; an import takes at most %(limit)d MB. Split it into parts.")
            % {"size": -(-unpacked // 2**20), "limit": MAX_UNPACKED_BYTES // 2**20}
        )
    for member in members:
        if member.file_size > 2**20 and member.file_size > MAX_PACKING_RATIO * max(member.compress_size, 1):
            raise ImportRefused(_("The file is packed like a compressed bomb, not like a workbook; refused."))
    _rewind(file)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from exc


def _header_lookup(columns) -> dict:
    headers = {}
    for column in columns:
        for name in (column.key, *column.aliases):
            headers.setdefault(keyed(name), column)
        for lang in ("ru", "en"):
            with translation.override(lang):
                headers.setdefault(keyed(str(column.label)), column)
    return headers


class Table:
    """One sheet read as a table: its header row found, its columns placed by meaning.

    `header_row` is the sheet's row number of the header (None if none was found), `positions`
    {key: column index}, `ignored` the headers no column takes, `issues` what stops the import.
    `rows()` streams (sheet row number, {key: value}) for every non-blank row below the header.
    """

    def __init__(self, worksheet, columns, *, alternatives=None, named=False):
        self.worksheet = worksheet
        self.title = worksheet.title
        self.named = named  # the workbook has several sheets: issues name this one
        self.columns = {c.key: c for c in columns}
        self.header_row = None
        self.positions = {}
        self.found = []
        self.ignored = []
        self.issues = []
        self._locate(columns, alternatives or {})

    def _locate(self, columns, alternatives):
        headers = _header_lookup(columns)
        best = None
        for number, row in enumerate(
            self.worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
        ):
            matched = {headers[k].key for k in (keyed(cell_text(v)) for v in row) if k in headers}
            if matched and (best is None or len(matched) > best[1]):
                best = (number, len(matched), row)
        if best is None:
            first = next(
                (n for n, row in enumerate(self.worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), 1)
                 if any(cell_text(v) for v in row)),
                None,
            )  # fmt: skip
            if first is None:
                self.issues.append(ImportIssue(None, "", _("The sheet is empty.")))
                return
            best = (first, 0, next(self.worksheet.iter_rows(min_row=first, max_row=first, values_only=True)))
        self.header_row, _count, row = best
        self._headers = [cell_text(v) for v in row]
        for index, value in enumerate(row):
            text = cell_text(value)
            if not text:
                continue
            self.found.append(text)
            column = headers.get(keyed(text))
            if column is None:
                if keyed(text) not in ROW_NUMBER_HEADERS:
                    self.ignored.append(text)
            elif column.key not in self.positions:
                self.positions[column.key] = index
        for column in columns:
            if not column.required or column.key in self.positions:
                continue
            if any(key in self.positions for key in alternatives.get(column.key, ())):
                continue
            self.issues.append(
                ImportIssue(
                    None,
                    "",
                    _(
                        "Required column «%(column)s» is missing. Row %(row)d was read as the header; "
                        "its columns: %(found)s."
                    )
                    % {
                        "column": column.label,
                        "row": self.header_row,
                        "found": ", ".join(f"«{text}»" for text in self.found) or "—",
                    },
                    sheet=self.title if self.named else "",
                )
            )

    def has(self, key) -> bool:
        return key in self.positions

    def header_of(self, key) -> str:
        """The column's header as the file writes it (its label when the file has no such column)."""
        if key in self.positions:
            return self._headers[self.positions[key]]
        column = self.columns.get(key)
        return str(column.label) if column else ""

    def rows(self):
        if self.header_row is None:
            return
        positions = self.positions.items()
        for number, raw in enumerate(
            self.worksheet.iter_rows(min_row=self.header_row + 1, values_only=True), start=self.header_row + 1
        ):
            cells = {key: (raw[i] if i < len(raw) else None) for key, i in positions}
            if any(cell_text(v) for v in cells.values()):
                yield number, cells

    def count_rows(self, limit=MAX_DATA_ROWS) -> int:
        """The number of data rows, counting no further than limit + 1 (the streaming stops there)."""
        count = 0
        for _row in self.rows():
            count += 1
            if count > limit:
                break
        return count

    def check_size(self):
        """An ImportIssue if the sheet holds more rows than an import takes, else None."""
        if self.count_rows() > MAX_DATA_ROWS:
            return ImportIssue(
                None,
                "",
                _("The sheet has more than %(limit)d rows with data; an import takes at most %(limit)d.")
                % {"limit": MAX_DATA_ROWS},
                sheet=self.title if self.named else "",
            )
        return None


def read_table(worksheet, columns, *, alternatives=None, named=False) -> Table:
    """The sheet as a Table of `columns` (see Table). `alternatives` {key: (keys)}: a required
    column is not missing when one of these columns is there instead (e.g. «ФИО» for the surname).
    `named`: the issues name the sheet (a workbook read from several sheets)."""
    table = Table(worksheet, columns, alternatives=alternatives, named=named)
    if not table.issues:
        too_large = table.check_size()
        if too_large:
            table.issues.append(too_large)
    return table


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


def _plain(value) -> bool:
    """A value that goes into a cell as it is: empty, a whole number, text not read as a formula."""
    return value is None or isinstance(value, int) or (isinstance(value, str) and value[:1] != "=")


def _alignment(long_text, centered, top) -> str:
    """The key in ALIGNMENTS of a cell's alignment ("" for none)."""
    if long_text:  # wraps inside its column instead of running across the printed page
        return "wrap-centered" if centered else "wrap"
    if centered:
        return "centered-top" if top else "centered"
    return "top" if top else ""


def _values_to_row(ws, values, row_idx):
    """What openpyxl's `WriteOnlyWorksheet._values_to_row` (3.1) yields for a row, made faster for
    rows of styled cells, and used by every `Sheet` (`ws._values_to_row`).

    openpyxl first tries each value as the value of one reused plain cell; a styled cell fails that
    (its setter raises ValueError, with the cell's repr in the message) and the plain cell is then
    made anew. Here a cell is told apart at once and goes in as it is, and the plain cell is reused
    for every plain value: on the 300 000-row details sheet, where most rows wrap and every cell of
    such a row is styled, that was a third of the time beyond openpyxl's own for unstyled cells.
    The same XML comes out (tests/kindergarten_portal/test_spreadsheets.py compares them).
    """
    plain = WriteOnlyCell(ws)
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, Cell):
            cell = value
        else:
            plain.value = value
            cell = plain
        cell.column = col_idx
        cell.row = row_idx
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        yield cell


class _LookCell(Cell):
    """A styled cell of one of a Sheet's looks (`Sheet._styled`).

    Whether a cell has a style, and its index in the workbook's styles, are asked of every cell as
    it is written, and openpyxl hashes the cell's style array each time to answer. Here the answer
    is kept for the look — `look` is [its style array, has a style, style id (None until the first
    is written)] — and given to every cell whose array still equals the look's. A cell restyled
    after it was made is asked of openpyxl as before. A look with no style at all (formula-looking
    text in a plain column) is an ordinary cell."""

    __slots__ = ("look",)

    @property
    def has_style(self):
        look = self.look
        return look[1] if self._style == look[0] else super().has_style

    @property
    def style_id(self):
        look = self.look
        if self._style != look[0]:
            return super().style_id
        if look[2] is None:
            look[2] = self.parent.parent._cell_styles.add(look[0])
        return look[2]


# Kinds of value a column's styled cell is refilled with (Sheet._styled): they go in unchanged,
# or a Decimal as a float (an aware datetime, which becomes a local one, is made anew each time).
REFILLABLE = frozenset({str, int, float, Decimal, datetime.date})


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
        self.ws._values_to_row = partial(_values_to_row, self.ws)  # see `_values_to_row`
        self.headers = [str(h) for h in headers]
        self.widths = list(widths)
        self.formats = formats or {}  # {column index: number format} where the default does not fit
        self.centered = frozenset(centered)
        self.rows_written = 0
        self.last_row = 1  # the header
        self._styles = {}  # (type, number format, alignment, bold) -> (style array, direct, look), see `_styled`
        self._slots = {}  # (column, type, alignment, bold) -> the cell `_styled` refills
        self._limits = [width - 2 for width in self.widths]  # longer text wraps
        self._special = self.centered | set(self.formats)  # columns whose cells are always styled
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
        if not (bold or long_text or centered or top or number_format is not None) and _plain(value):
            return value
        return self._styled(value, number_format, _alignment(long_text, centered, top), bold)

    def _styled(self, value, number_format, alignment, bold, slot=None):
        """A cell of `value` with its number format (by type, unless given), alignment and weight.

        Its look is the sheet's style array of that kind, set up on the first such cell as on every
        cell before, then copied: setting the look on each of 300 000 cells hashed the font and
        alignment objects each time (half of the details sheet's time beyond openpyxl's own).

        `slot` (the column, from `append`): a write-only row is written out as it is appended, so
        the cell made here for a column, a look and a kind of value that goes in unchanged is given
        the next such value of that column, instead of a new cell each time.
        """
        original = value.__class__
        if slot is not None:
            cell = self._slots.get((slot, original, alignment, bold))
            if cell is not None:  # this column's cell of that look and kind, written with the row before
                # openpyxl's own setter: its type and its checks of text
                cell.value = float(value) if original is Decimal else value
                if original is str and value:
                    cell.data_type = "s"  # text stays text, "=…" too
                return cell
        text = False
        if isinstance(value, str):
            text = bool(value)
            number_format = None
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            number_format = number_format or DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            number_format = number_format or DATE_FORMAT
        elif isinstance(value, Decimal):
            value = float(value)
            number_format = number_format or POINTS_FORMAT
        elif not isinstance(value, int | float):
            number_format = None
        key = (type(value), number_format, alignment, bold)
        known = self._styles.get(key)
        if known is None:  # the first cell of its kind, styled as every cell once was
            first = WriteOnlyCell(self.ws, value=value)
            if alignment:
                first.alignment = ALIGNMENTS[alignment]
            if number_format:
                first.number_format = number_format
            if bold:
                first.font = TOTAL_FONT
            # Made with its look, a date cell keeps it only if that is a date format.
            direct = not isinstance(value, TIME_TYPES) or is_date_format(first.number_format)
            look = [first._style, any(first._style), None] if first._style is not None else None
            known = self._styles[key] = (first._style, direct, look)
        style, direct, look = known
        if direct:  # as WriteOnlyCell makes it (row and column 1 until written), with that look
            if look is None:
                cell = Cell(self.ws, row=1, column=1, value=value, style_array=style)
            else:
                cell = _LookCell(self.ws, row=1, column=1, value=value, style_array=style)
                cell.look = look
            if slot is not None and original in REFILLABLE:
                self._slots[(slot, original, alignment, bold)] = cell
        else:
            cell = WriteOnlyCell(self.ws, value=value)
            cell._style = copy(style)  # as openpyxl copies a cell's look (worksheet/copier.py)
        if text:  # text stays text, "=…" too
            cell.data_type = "s"
        return cell

    def append(self, values, *, bold=False):
        """One row; a row with text longer than its column gets the height of its wrapped lines.

        What `cell` does for each value, with the per-row decisions taken once (the details sheet
        has 300 000 rows): plain values go in as they are, the others through `_styled`.
        """
        self.last_row += 1
        limits, count = self._limits, len(self._limits)
        # Text wraps when longer than its column (beyond the last column: None, see `cell`).
        wraps = [
            isinstance(value, str) and (len(value) > limits[index] if index < count else None)
            for index, value in enumerate(values)
        ]
        lines = 1
        if True in wraps:
            widths = self.widths
            lines = max(
                _lines(value, widths[index], 10) for index, value in enumerate(values) if wraps[index]
            )
            if lines > 1:  # write-only rows are not measured by spreadsheet programs: say the height
                # As the attributes openpyxl writes for a row dimension with that height (read from
                # row_dimensions as the row goes out), without a RowDimension object kept for each of
                # the details sheet's 169 000 wrapped rows: it is dropped once the row is written.
                self.ws.row_dimensions[self.last_row] = {"ht": f"{LINE_HEIGHT * lines}", "customHeight": "1"}
        top = lines > 1
        formats, centered, special = self.formats, self.centered, self._special
        row = []
        for index, value in enumerate(values):
            if isinstance(value, Cell):
                row.append(value)
                continue
            wrap = wraps[index]
            long_text = wrap if wrap is not None else len(value) > MAX_WIDTH
            if not (bold or top or long_text or index in special) and _plain(value):
                row.append(value)
                continue
            alignment = _alignment(long_text, index in centered, top)
            row.append(self._styled(value, formats.get(index), alignment, bold, slot=index))
        self.ws.append(row)
        if top:
            del self.ws.row_dimensions[self.last_row]
        self.rows_written += 1

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
