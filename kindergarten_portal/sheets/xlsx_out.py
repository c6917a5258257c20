"""Writing xlsx: every workbook the portal hands out, in the house style, through XlsxWriter's public API.

A workbook (`new_workbook`) is XlsxWriter's in constant-memory mode: each row goes to disk once the
next one starts, so memory stays flat however many rows there are. Its sheets (`Sheet`) have a bold
shaded header row that wraps, fixed column widths, the panes frozen under the header and a filter
over the table, and print legibly: one font (Arial 10 — LibreOffice prints it as the metric-equal
Liberation Sans), A4 portrait when the table fits its width, landscape otherwise, at a fixed scale of
MIN_PRINT_SCALE % or more (so text prints at 8 pt or more; a table wider than that is split at its
columns into pages side by side, the first column on each), the header repeated on every page, each
cell's borders drawn, the sheet's name and page number in the footer. Text columns are narrowed to
fit (`print_widths`) and wrap, never below their longest word. Workbooks are downloaded through
`xlsx_response`. Reading uploads is `xlsx_in`'s (openpyxl).
"""

import datetime
import io
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MONTH_FORMAT = "MM.YYYY"
POINTS_FORMAT = "0.0"
PERCENT_FORMAT = "0%"
FONT_NAME = "Arial"
FONT_SIZE = 10
FONT = {"font_name": FONT_NAME, "font_size": FONT_SIZE}
HEADER_FILL = "#DDEBF7"
BORDER = {"border": 1, "border_color": "#808080"}  # every cell: the table's lines on paper too
MAX_WIDTH = 60  # a column never grows wider; longer text wraps inside it
LINE_HEIGHT = 12.75  # points per line of a wrapped row (Arial 10's row)
HEADER_LINES_SHOWN = 4  # a header wraps onto at most this many lines

# Column widths are in digits of the default font. Excel draws Arial 10's digit 7 pixels wide (96
# an inch), LibreOffice 7.42 (Liberation Sans' own, measured in its PDF), each with about 5 pixels
# of padding: the printed width is reckoned with the wider.
DIGIT_PIXELS = 7.42
COLUMN_PADDING = 5.5
DEFAULT_COLUMN_PIXELS = 64  # a column with no width set: Excel's 8.43 digits
DEFAULT_COLUMN_WIDTH = 8.43
# A4 with half-inch side margins: 7.27 inches portrait, 10.69 landscape, less 1% kept free.
PAGE_PIXELS = {"portrait": int(7.27 * 96 * 0.99), "landscape": int(10.69 * 96 * 0.99)}
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.7}  # inches
# Arial 10 printed at 80% or more reads at 8 pt or more; a sheet never prints smaller.
MIN_PRINT_SCALE = 80
CHART_SIZE = {"width": 480, "height": 288}  # pixels

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # One font everywhere, not the theme's: Excel would otherwise show the theme's Calibri.
    "default_format_properties": {**FONT, "font_scheme": "none"},
    "default_row_height": 17,  # Arial 10's row, in pixels
    "default_column_width": DEFAULT_COLUMN_PIXELS,
}


class Workbook:
    """An XlsxWriter workbook being written (into `out`, or into memory), with its cell formats
    made once each."""

    def __init__(self, title=None, out=None, kindergarten=None):
        self.out = out
        self.buffer = io.BytesIO() if out is None else None
        self.book = xlsxwriter.Workbook(self.buffer if out is None else out, WORKBOOK_OPTIONS)
        # Whose workbook it is (forwarded upward, one of a city's): in its properties and at the foot
        # of every printed page.
        self.kindergarten = getattr(kindergarten, "name", None) or str(kindergarten or "")  # its full name
        properties = {"title": str(title or ""), "company": self.kindergarten}
        if any(properties.values()):
            self.book.set_properties({key: value for key, value in properties.items() if value})
        self.formats = {}

    def format(self, number_format=None, align="", bold=False, header=False):
        """The workbook's format of that look (`align`: a key of ALIGNMENTS)."""
        key = (number_format, align, bold, header)
        known = self.formats.get(key)
        if known is None:
            properties = {**FONT, **BORDER, **ALIGNMENTS[align]}
            if number_format:
                properties["num_format"] = number_format
            if bold or header:
                properties["bold"] = True
            if header:
                properties.update(bg_color=HEADER_FILL, pattern=1, text_wrap=True, valign="top")
            known = self.formats[key] = self.book.add_format(properties)
        return known


ALIGNMENTS = {
    "": {},
    "wrap": {"text_wrap": True, "valign": "top"},
    "wrap-centered": {"text_wrap": True, "valign": "top", "align": "center"},
    "centered": {"align": "center"},
    "centered-top": {"align": "center", "valign": "top"},
    "top": {"valign": "top"},
}


def new_workbook(title=None, out=None, *, kindergarten=None) -> Workbook:
    """An empty workbook for `Sheet`s, written into `out` (a binary file) when given; `kindergarten`
    (an organization or its name) names whose it is, in its properties and on every printed page."""
    return Workbook(title, out, kindergarten)


def workbook_bytes(workbook: Workbook, out=None) -> bytes | None:
    """Finish the workbook: its bytes, or None when it was written into a file (`out` here, or the
    one `new_workbook` was given)."""
    workbook.book.close()
    if workbook.out is not None:
        return None
    if out is not None:
        out.write(workbook.buffer.getvalue())
        return None
    return workbook.buffer.getvalue()


def xlsx_response(workbook, filename: str):
    """A download of a workbook (a `Workbook`, its bytes or an open binary file) named `filename`
    (any language: the header is encoded as browsers expect)."""
    if hasattr(workbook, "read"):
        return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    content = workbook_bytes(workbook) if isinstance(workbook, Workbook) else workbook
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# ---------------------------------------------------------------- widths and printing


def word_floor(text, bold=False) -> int:
    """The narrowest width that holds the text's longest word (a word is never cut): a letter is
    taken 10% wider than a digit (Arial's «ж», «ш», «Щ» are wider still), a bold one 15%, and the
    padding."""
    stretch = (23, 20) if bold else (11, 10)
    # A compound may break after its hyphen («педагог-» / «наставник»).
    words = re.findall(r"[^\s-]+-?", str(text))
    return max((-(-len(word) * stretch[0] // stretch[1]) + 2 for word in words), default=0)


def header_floor(header) -> int:
    """The narrowest width that holds the header's longest word in bold (a word is never cut)."""
    return word_floor(header, bold=True)


def _display_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return len(DATE_FORMAT)
    if isinstance(value, Decimal | float):
        return len(f"{value:.1f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(headers, rows, minimum=6) -> list[int]:
    """Column widths from the longest value of each column (headers wrap, so count their longest word)."""
    widths = [max(minimum + 2, header_floor(h)) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_length(value) + 2)
    return [min(width, MAX_WIDTH) for width in widths]


def column_pixels(width) -> int:
    """A column's width on paper at 100%, in pixels (96 an inch), as the wider program draws it."""
    return width * DIGIT_PIXELS + COLUMN_PADDING if width > 0 else 0


# What a chart beside a table (`Sheet.bar_chart`) adds to its printed width: the gap, the chart, and
# the whole of the column it ends in.
CHART_BESIDE = 2 * column_pixels(DEFAULT_COLUMN_WIDTH) + CHART_SIZE["width"]


def _fit(pixels) -> int:
    """The scale (%) that fits that many pixels across A4 landscape, between MIN_PRINT_SCALE and 100."""
    return max(MIN_PRINT_SCALE, min(100, int(PAGE_PIXELS["landscape"] * 100 // pixels)))


def column_breaks(widths) -> list[int]:
    """Where a sheet too wide for one A4 landscape page at MIN_PRINT_SCALE is split into pages side
    by side: the first column of each page after the first, each page as full as it can be. The
    first column (what a row is) is printed again on every page, so it counts on each."""
    room = PAGE_PIXELS["landscape"] * 100 / MIN_PRINT_SCALE
    kept = column_pixels(widths[0]) if widths else 0
    breaks, used = [], kept
    for index in range(1, len(widths)):
        pixels = column_pixels(widths[index])
        if used + pixels > room and used > kept:
            breaks.append(index)
            used = kept
        used += pixels
    return breaks


def fits_page(widths, extra_pixels=0, pages=1) -> bool:
    """Whether the sheet prints `pages` pages wide or fewer at MIN_PRINT_SCALE (see `column_breaks`)."""
    pixels = sum(column_pixels(w) for w in widths) + extra_pixels
    if pixels * MIN_PRINT_SCALE <= PAGE_PIXELS["landscape"] * 100:
        return True
    return pages > 1 and len(column_breaks(widths)) < pages


def page_setup(widths, extra_pixels=0) -> tuple[str, int]:
    """(orientation, scale %) a sheet of these column widths (and `extra_pixels` beside them, a
    chart) prints at on A4: portrait at 100% when it fits, else landscape at the scale that fits its
    width, never below MIN_PRINT_SCALE: a sheet wider than that is split into pages side by side
    (`column_breaks`), at the scale that fits the widest of them."""
    pixels = sum(column_pixels(w) for w in widths) + extra_pixels
    if pixels <= PAGE_PIXELS["portrait"]:
        return "portrait", 100
    breaks = column_breaks(widths)
    if not breaks:  # the columns fit one page (a chart beside them too, if print_widths made room)
        return "landscape", _fit(pixels)
    edges = [1, *breaks, len(widths)]
    kept = column_pixels(widths[0])
    widest = max(kept + sum(column_pixels(w) for w in widths[a:b]) for a, b in itertools.pairwise(edges))
    return "landscape", _fit(widest)


def print_scale(widths, extra_pixels=0) -> int:
    """The scale (%) a sheet of these column widths prints at (see `page_setup`)."""
    return page_setup(widths, extra_pixels)[1]


def print_widths(widths, headers, wrap, narrowest=14, rows=(), pages=1, extra_pixels=0) -> list[int]:
    """Narrow the text columns `wrap` (indexes) until the sheet fits A4 landscape at
    MIN_PRINT_SCALE or more: their text then wraps (Sheet does it, with row heights). A column
    never goes below its header's longest word, the longest word of its values in `rows` or
    `narrowest`, and the others keep their width. When the columns cannot be narrowed that far,
    they are narrowed only as far as the fewest pages side by side need, at most `pages` of them
    (beyond that the sheet prints wider still: see `column_breaks`). `extra_pixels`: what stands
    beside the table (CHART_BESIDE)."""
    floors = {i: max(narrowest, header_floor(headers[i])) for i in wrap}
    for row in rows:
        for i in wrap:
            floors[i] = max(floors[i], word_floor(row[i]) if isinstance(row[i], str) else 0)
    for wide in range(1, pages + 1):
        narrowed = list(widths)
        while not fits_page(narrowed, extra_pixels, pages=wide):
            wider = [i for i in wrap if narrowed[i] > floors[i]]
            if not wider:
                break
            widest = max(wider, key=lambda i: narrowed[i])
            narrowed[widest] -= 1
        if fits_page(narrowed, extra_pixels, pages=wide):
            break
    return narrowed


def text_lines(text: str, width, bold=False) -> int:
    """The lines text takes wrapped at its spaces in a column of that width: a character is taken as
    a digit's width (Arial's Cyrillic letters are about as wide), a bold one 15% wider, and a line
    holds two characters fewer than the width (the padding, and the space a word leaves)."""
    room = max(width - 2, 4)
    if bold:
        room = room * 20 // 23
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > room:
                lines += 1
                used = 0
            if used:
                used += 1
            while size > room:  # a word longer than the line is broken
                lines += 1
                size -= room
            used += size
    return lines


# ---------------------------------------------------------------- the sheet


@dataclass(frozen=True)
class Cell:
    """A value with its own look, from `Sheet.cell`."""

    value: object
    number_format: str | None = None
    bold: bool = False
    wrap: bool = False
    centered: bool = False
    top: bool = False


def _alignment(long_text, centered, top) -> str:
    """The key in ALIGNMENTS of a cell's alignment."""
    if long_text:  # wraps inside its column instead of running across the printed page
        return "wrap-centered" if centered else "wrap"
    if centered:
        return "centered-top" if top else "centered"
    return "top" if top else ""


class Sheet:
    """A worksheet in the house style (see the module's docstring); cells formatted by value: text
    is always text (never a formula, whatever it starts with), dates read DD.MM.YYYY, points 0.0.
    Text longer than its column wraps inside it, and its row gets the height of its lines.

    `centered` columns (indexes) are centred: a number or date column followed by a text column is
    centred so that «1» and «Антонова» never read as one. `formats` {column index: number format}
    where the default does not fit. `repeat_header=False` for a sheet with other blocks below its
    table (their own headers), where a repeated first row would mislead.

    Rows are written in order, each once (`append`, `blank`).
    """

    def __init__(self, workbook, title, headers, widths, formats=None, centered=(), repeat_header=True):
        self.workbook = workbook
        self.ws = workbook.book.add_worksheet(str(title)[:31])
        self.headers = [str(h) for h in headers]
        self.widths = list(widths)
        self.formats = formats or {}
        self.centered = frozenset(centered)
        self.rows_written = 0
        self.last_row = 0  # the header's (rows count from 0)
        self.beside = 0  # pixels of what stands beside the table (a chart)
        self._limits = [width - 2 for width in self.widths]  # longer text wraps
        for index, width in enumerate(self.widths):
            self.ws.set_column(index, index, width)
        self.ws.freeze_panes(1, 0)
        self.ws.set_paper(9)  # A4
        self.ws.set_margins(**MARGINS)
        # The sheet's name, whose workbook it is and the page: «Рейтинг   МБДОУ № 7   1 / 3».
        font = f'&"{FONT_NAME}"&{FONT_SIZE}'
        whose = f"&C{font}" + workbook.kindergarten.replace("&", "&&") if workbook.kindergarten else ""
        self.ws.set_footer(f"&L{font}&A{whose}&R{font}&P / &N", {"margin": 0.3})
        if repeat_header:
            self.ws.repeat_rows(0)
        self._set_up_page()
        header_lines = max(
            (
                text_lines(text, width, bold=True)
                for text, width in zip(self.headers, self.widths, strict=False)
            ),
            default=1,
        )
        if header_lines > 1:
            self.ws.set_row(0, LINE_HEIGHT * min(header_lines, HEADER_LINES_SHOWN))
        header = workbook.format(header=True)
        for index, text in enumerate(self.headers):
            self.ws.write_string(0, index, text, header)

    def _set_up_page(self):
        orientation, scale = page_setup(self.widths, self.beside)
        if orientation == "landscape":
            self.ws.set_landscape()
        else:
            self.ws.set_portrait()
        self.ws.set_print_scale(scale)
        breaks = column_breaks(self.widths)
        if breaks:
            # Pages side by side, each with the first column: read across, then down.
            self.ws.set_v_pagebreaks(breaks)
            self.ws.repeat_columns(0)
            self.ws.print_across()

    def page_header(self, text):
        """`text` at the top of every printed page."""
        self.ws.set_header(f'&C&"{FONT_NAME}"&{FONT_SIZE}' + str(text).replace("&", "&&"), {"margin": 0.3})

    def cell(self, value, *, bold=False, number_format=None, wrap=None, centered=False, top=False):
        """A cell for any value with its own look: `number_format` overrides the format of a date or
        number; text wraps when `wrap` says so (by default: longer than MAX_WIDTH); `top` aligns the
        cell to the top, as every cell of a row with wrapped text is, so the row reads as one line."""
        long_text = isinstance(value, str) and (len(value) > MAX_WIDTH if wrap is None else bool(wrap))
        return Cell(value, number_format, bold, long_text, centered, top)

    def append(self, values, *, bold=False):
        """One row; a row with text longer than its column gets the height of its wrapped lines."""
        self.last_row += 1
        row = self.last_row
        limits, count = self._limits, len(self._limits)
        lines = 1
        for index, value in enumerate(values):
            if isinstance(value, str) and index < count and len(value) > limits[index]:
                lines = max(lines, text_lines(value, self.widths[index], bold))
        top = lines > 1
        if top:  # rows are not measured by spreadsheet programs as they open a file: say the height
            self.ws.set_row(row, LINE_HEIGHT * lines)
        ws, fmt = self.ws, self.workbook.format
        for index, value in enumerate(values):
            number_format = self.formats.get(index)
            centered = index in self.centered
            cell_bold = bold
            if isinstance(value, Cell):
                number_format = value.number_format or number_format
                centered = centered or value.centered
                cell_bold = bold or value.bold
                long_text = value.wrap
                cell_top = top or value.top
                value = value.value
            else:
                long_text = isinstance(value, str) and len(value) > (
                    limits[index] if index < count else MAX_WIDTH
                )
                cell_top = top
            align = _alignment(long_text, centered, cell_top)
            if value is None or value == "":
                ws.write_blank(row, index, None, fmt(number_format, align, cell_bold))
            elif isinstance(value, str):
                ws.write_string(row, index, value, fmt(None, align, cell_bold))
            elif isinstance(value, bool):
                ws.write_boolean(row, index, value, fmt(None, align, cell_bold))
            elif isinstance(value, int | float | Decimal):
                if number_format is None and isinstance(value, Decimal):
                    number_format = POINTS_FORMAT
                ws.write_number(row, index, float(value), fmt(number_format, align, cell_bold))
            elif isinstance(value, datetime.datetime):
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                ws.write_datetime(row, index, value, fmt(number_format or DATETIME_FORMAT, align, cell_bold))
            elif isinstance(value, datetime.date):
                ws.write_datetime(row, index, value, fmt(number_format or DATE_FORMAT, align, cell_bold))
            else:
                ws.write_string(row, index, str(value), fmt(None, align, cell_bold))
        self.rows_written += 1

    def blank(self):
        self.last_row += 1

    def close_table(self):
        """The autofilter over the header and the rows written so far."""
        self.ws.autofilter(0, 0, self.last_row, len(self.headers) - 1)

    def bar_chart(self, title, axis_title, column, rows):
        """A column chart beside the table of the values in `column` (an index) over the labels in
        the first column, for the `rows` below the header: bars from zero, each labelled with its
        value, the axes shown, no legend; the page set-up makes room for it."""
        name = self.ws.get_name()
        chart = self.workbook.book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": [name, 0, column],
                "categories": [name, 1, 0, rows, 0],
                "values": [name, 1, column, rows, column],
                "data_labels": {"value": True, "font": {"name": FONT_NAME, "size": FONT_SIZE}},
            }
        )
        chart.set_title({"name": str(title), "name_font": {"name": FONT_NAME, "size": 12, "bold": True}})
        chart.set_y_axis(
            {
                "name": str(axis_title),
                "min": 0,
                "name_font": {"name": FONT_NAME, "size": FONT_SIZE},
                "num_font": {"name": FONT_NAME, "size": FONT_SIZE},
            }
        )
        chart.set_x_axis({"num_font": {"name": FONT_NAME, "size": FONT_SIZE}})
        chart.set_legend({"none": True})
        chart.set_size(CHART_SIZE)
        column_after = len(self.headers) + 1  # one empty column between
        self.ws.insert_chart(1, column_after, chart)
        self.beside = CHART_BESIDE
        self._set_up_page()
        return chart


def import_template(*, title, columns, example, min_width, widths=None) -> bytes:
    """An import workbook to fill in: the columns' headers (required ones marked *) and one example
    row; each column as wide as its header and its example, at least `min_width`, or as `widths`
    ({key: width}) says. On paper its text columns wrap, and it prints as few A4 landscape pages
    side by side as their words allow (three at most), the first column on each."""
    widths = widths or {}
    headers = [str(c.label) + (" *" if c.required else "") for c in columns]
    wanted = [
        max(
            widths.get(c.key, max(min_width, len(str(c.label)) + 4)),
            word_floor(value) if isinstance(value, str) else _display_length(value) + 2,
        )
        for c, value in zip(columns, example, strict=True)
    ]
    text = [index for index, value in enumerate(example) if isinstance(value, str)]
    workbook = new_workbook()
    sheet = Sheet(workbook, title, headers, print_widths(wanted, headers, wrap=text, rows=[example], pages=3))
    sheet.append(example)
    sheet.close_table()
    return workbook_bytes(workbook)
