"""Reading xlsx the same way everywhere: the imports (staff, event plans).

Imports are all-or-nothing: these helpers only read and locate; each app validates its own rows.
Uploads are opened with openpyxl in read-only mode (rows stream, memory stays flat). Writing is
`xlsx_out`'s.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kindergarten_portal.sheets.xlsx_out import XLSX_CONTENT_TYPE

# What an upload field offers to pick: the extension and the content type.
XLSX_ACCEPT = f".xlsx,{XLSX_CONTENT_TYPE}"

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
