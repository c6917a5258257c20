"""The head's workbook of a rating build, and a teacher's self-report, as xlsx.

Rows stream into write-only worksheets, so memory stays flat however many entries there are;
column widths are fixed before the first row (write-only sheets write them first), from the rows
in hand or, for the streamed details, from the longest values in the database.
"""

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from events.models import EventFormat, Level
from portfolios.models import EntryKind, ReportItem, Result
from staff.models import Category, Position, category_group_label
from staff.selectors import course_due_cutoff

from .models import DIRECTION_LABELS, DIRECTIONS, Outcome, RatingBuild, SelfReport
from .scoring import entry_points, ordered_rules
from .selectors import (
    approved_entries_of_year,
    attestations_due,
    category_distribution,
    course_coverage,
    course_hours_since,
    events_of_year,
    gratitude_list,
    rows_grouped_by_category,
    self_report_content,
    staff_with_dues,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
MONTH_FORMAT = "MM.YYYY"
POINTS_FORMAT = "0.0"
PERCENT_FORMAT = "0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FONT = Font(bold=True)
MAX_WIDTH = 60
WRAP = Alignment(wrap_text=True, vertical="top")


def _display_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float):
        return len(f"{value:.1f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(headers, rows, minimum=6):
    """Column widths from the longest value of each column (headers wrap, so count their longest word)."""
    widths = [max([minimum, *(len(word) for word in str(h).split())]) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_length(value))
    return [min(width + 2, MAX_WIDTH) for width in widths]


class Sheet:
    """A write-only worksheet with the house formatting: header row, widths, filter, print set-up."""

    def __init__(self, workbook, title, headers, widths, formats=None):
        self.ws = workbook.create_sheet(title[:31])
        self.headers = [str(h) for h in headers]
        self.widths = list(widths)
        self.formats = formats or {}  # {column index: number format} where the default does not fit
        self.rows_written = 0
        self.last_row = 1  # the header
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = 9  # A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_title_rows = "1:1"
        header_lines = max(
            (
                -(-len(text) // max(width - 2, 6))
                for text, width in zip(self.headers, self.widths, strict=False)
            ),
            default=1,
        )
        if header_lines > 1:
            self.ws.row_dimensions[1].height = 15 * min(header_lines, 4)
        self.ws.append([self._header(text) for text in self.headers])

    def _header(self, text):
        cell = WriteOnlyCell(self.ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def cell(self, value, *, bold=False, number_format=None):
        """A cell for any value: text is always text (never a formula), dates and points formatted
        (dates by `number_format` when given).

        Plain values (numbers, empty cells, text that cannot be read as a formula) go in as they are:
        a styled cell object costs ten times more, which shows on a 300 000-row details sheet.
        """
        if isinstance(value, Cell):  # already made for a special format (a share, say)
            return value
        long_text = isinstance(value, str) and len(value) > MAX_WIDTH
        if (
            not bold
            and not long_text
            and (value is None or isinstance(value, int) or (isinstance(value, str) and value[:1] != "="))
        ):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if long_text:  # wraps inside its column instead of running across the printed page
            cell.alignment = WRAP
        if isinstance(value, str):
            if value:
                cell.data_type = "s"
        elif isinstance(value, datetime.datetime):
            cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            cell.number_format = "DD.MM.YYYY HH:MM"
        elif isinstance(value, datetime.date):
            cell.number_format = number_format or DATE_FORMAT
        elif isinstance(value, Decimal):
            cell.value = float(value)
            cell.number_format = POINTS_FORMAT
        if bold:
            cell.font = TOTAL_FONT
        return cell

    def append(self, values, *, bold=False):
        self.last_row += 1
        lines = max((self._lines(index, value) for index, value in enumerate(values)), default=1)
        if lines > 1:  # write-only rows are not measured by spreadsheet programs: say the height
            self.ws.row_dimensions[self.last_row].height = 15 * lines
        if self.formats:
            self.ws.append(
                [self.cell(v, bold=bold, number_format=self.formats.get(i)) for i, v in enumerate(values)]
            )
        else:  # the common case, kept lean for the long details sheet
            self.ws.append([self.cell(v, bold=bold) for v in values])
        self.rows_written += 1

    def _lines(self, index, value):
        if not isinstance(value, str) or len(value) <= MAX_WIDTH or index >= len(self.widths):
            return 1
        return -(-len(value) // max(self.widths[index] - 2, 10))

    def blank(self):
        self.last_row += 1
        self.ws.append([])

    def close_table(self):
        """The autofilter over the header and the rows written so far."""
        last_column = get_column_letter(len(self.headers))
        self.ws.auto_filter.ref = f"A1:{last_column}{self.rows_written + 1}"


def _label(choices, value):
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _outcome_label(value):
    return _label(Outcome, value) if value else _("not recommended")


def _criteria_text(criteria):
    parts = []
    for checked in criteria:
        total = _("total %(min)s: %(verdict)s") % {
            "min": checked["min_total"],
            "verdict": _("met") if checked["total_met"] else _("missed"),
        }
        text = f"{_label(Outcome, checked['outcome'])} — {total}"
        if checked["min_level"]:
            level = _("level %(level)s: %(verdict)s") % {
                "level": _label(Level, checked["min_level"]),
                "verdict": _("met") if checked["level_met"] else _("missed"),
            }
            text += f", {level}"
        parts.append(text)
    return "; ".join(parts)


def _bar_chart(title, y_title):
    chart = BarChart()
    chart.type = "col"
    chart.style = 10
    chart.title = title
    chart.y_axis.title = y_title
    chart.legend = None
    chart.height = 8
    chart.width = 16
    return chart


# ---------------------------------------------------------------- the head's workbook


def _rating_sheet(wb, build, rows):
    headers = [
        _("Rank"),
        _("Rank in category"),
        _("Teacher"),
        _("Position"),
        _("Category"),
        *[DIRECTION_LABELS[d] for d in DIRECTIONS],
        _("Total"),
        _("Recommendation"),
        _("Criteria met and missed"),
    ]
    values = [
        [
            row.rank,
            row.category_rank,
            row.teacher_name,
            _label(Position, row.position),
            category_group_label(row.category),
            *row.directions,
            row.total,
            _outcome_label(row.recommendation),
            _criteria_text(row.criteria),
        ]
        for row in rows_grouped_by_category(rows)
    ]
    sheet = Sheet(wb, _("Rating"), headers, fitted_widths(headers, values))
    for line in values:
        sheet.append(line)
    sheet.close_table()

    # Below the table: the average total per category, and its chart.
    sheet.blank()
    summary_top = sheet.rows_written + 3
    sheet.append([_("Category"), _("Teachers"), _("Average total"), _("Recommended")], bold=True)
    categories = [c for c, n in category_distribution(row.category for row in rows) if n]
    for category in categories:
        group = [r for r in rows if r.category == category]
        average = (sum((r.total for r in group), Decimal(0)) / len(group)).quantize(Decimal("0.1"))
        recommended = sum(1 for r in group if r.recommendation)
        sheet.append([category_group_label(category), len(group), average, recommended])
    if categories:
        chart = _bar_chart(_("Average total by category"), _("Points"))
        data = Reference(sheet.ws, min_col=3, min_row=summary_top, max_row=summary_top + len(categories))
        labels = Reference(
            sheet.ws, min_col=1, min_row=summary_top + 1, max_row=summary_top + len(categories)
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.anchor = f"G{summary_top}"
        sheet.ws.add_chart(chart)


def _details_sheet(wb, build, rows):
    year = build.academic_year
    teacher_ids = [row.teacher_id for row in rows]
    entries = approved_entries_of_year(year).filter(teacher_id__in=build.rows.values("teacher_id"))
    longest = entries.aggregate(
        title=Max(Length("title")),
        organizer=Max(Length("organizer")),
        surname=Max(Length("teacher__surname")),
    )
    headers = [
        _("Teacher"),
        _("Item"),
        _("Title"),
        _("Date"),
        _("Kind"),
        _("Level"),
        _("Result"),
        _("Organizer"),
        _("Hours"),
        _("Points"),
    ]
    name_width = (longest["surname"] or 10) + 30 if teacher_ids else 30
    widths = [
        min(name_width, MAX_WIDTH),
        max(len(str(label)) for label in ReportItem.labels) // 2 + 4,
        min((longest["title"] or 10) + 2, MAX_WIDTH),
        12,
        24,
        16,
        14,
        min((longest["organizer"] or 10) + 2, MAX_WIDTH),
        8,
        8,
    ]
    sheet = Sheet(wb, _("Self-report details"), headers, widths)
    rules = ordered_rules()
    stream = (
        entries.order_by(
            "teacher__surname", "teacher__name", "teacher__patronymic", "teacher_id", "item", "date", "pk"
        )
        .values_list(
            "teacher__surname",
            "teacher__name",
            "teacher__patronymic",
            "item",
            "title",
            "date",
            "kind",
            "level",
            "result",
            "organizer",
            "hours",
        )
        .iterator(chunk_size=5000)
    )
    item_labels = {item.value: str(item.label) for item in ReportItem}
    kind_labels = {kind.value: str(kind.label) for kind in EntryKind}
    level_labels = {level.value: str(level.label) for level in Level}
    result_labels = {result.value: str(result.label) for result in Result}
    for surname, name, patronymic, item, title, day, kind, level, result, organizer, hours in stream:
        sheet.append(
            [
                " ".join(p for p in (surname, name, patronymic) if p),
                item_labels.get(item, item),
                title,
                day,
                kind_labels.get(kind, kind),
                level_labels.get(level, level),
                result_labels.get(result, result),
                organizer,
                hours,
                entry_points(rules, item=item, level=level, result=result, hours=hours),
            ]
        )
    sheet.close_table()


def _categories_sheet(wb, build, rows, employees):
    distribution = category_distribution(row.category for row in rows)
    young = sum(1 for r in rows if r.is_young_teacher)
    total = len(rows)
    headers = [_("Category"), _("Teachers"), _("Share")]
    values = [[category_group_label(c), n, (n / total) if total else 0] for c, n in distribution]
    due = attestations_due(employees, build.as_of)
    due_values = [[e.full_name, _label(Category, e.category_now), e.attestation_due_on] for e in due]
    widths = fitted_widths(headers, [*values, *due_values, [_("Young teachers"), 0, 0]])
    sheet = Sheet(wb, _("Categories"), headers, widths)
    for label, count, share in values:
        sheet.append([label, count, _share_cell(sheet, share)])
    sheet.close_table()
    sheet.append([_("Total"), total, ""], bold=True)
    sheet.append([_("Young teachers"), young, ""])
    chart = _bar_chart(_("Qualification categories"), _("Teachers"))
    chart.add_data(Reference(sheet.ws, min_col=2, min_row=1, max_row=1 + len(values)), titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=2, max_row=1 + len(values)))
    chart.anchor = "E2"
    sheet.ws.add_chart(chart)

    sheet.blank()
    sheet.append([_("Attestations due in the next 12 months")], bold=True)
    sheet.append([_("Teacher"), _("Category"), _("Valid until")], bold=True)
    for line in due_values:
        sheet.append(line)
    if not due_values:
        sheet.append([_("none")])


def _share_cell(sheet, share):
    cell = WriteOnlyCell(sheet.ws, value=share)
    cell.number_format = PERCENT_FORMAT
    return cell


def _courses_sheet(wb, build, employees):
    cutoff = course_due_cutoff(build.as_of)
    headers = [
        _("Teacher"),
        _("Category"),
        _("Last course training"),
        _("Course ended"),
        _("Hours in the last %(years)d years") % {"years": settings.COURSE_PERIOD_YEARS},
        _("Next course due"),
        _("Covered"),
    ]
    values = []
    for employee in sorted(employees, key=lambda e: (e.surname, e.name, e.patronymic)):
        course = employee.last_course
        due = employee.course_due_on(build.as_of)
        covered = employee.course_covered_on(build.as_of)
        values.append(
            [
                employee.full_name,
                _label(Category, employee.category_now),
                course.programme if course else "",
                course.end_date if course else None,
                course_hours_since(employee, cutoff),
                due,
                _("yes") if covered else _("no"),
            ]
        )
    sheet = Sheet(wb, _("Course training"), headers, fitted_widths(headers, values))
    for line in values:
        sheet.append(line)
    sheet.close_table()
    covered, total = course_coverage(employees, build.as_of)
    share = round(100 * covered / total) if total else 0
    sheet.blank()
    sheet.append([_("Teachers covered"), f"{covered} / {total}"], bold=True)
    sheet.append(
        [_("%(percent)d%% of teachers have completed course training") % {"percent": share}], bold=True
    )


def _events_sheet(wb, build):
    headers = [
        _("Month"),
        _("Date"),
        _("Event"),
        _("Format"),
        _("Level"),
        _("Organizer"),
        _("Teachers attended"),
        _("Participants"),
    ]
    values = []
    for event in events_of_year(build.academic_year):
        start = timezone.localtime(event.start)
        names = ", ".join(p.teacher.short_name for p in event.attended)
        values.append(
            [
                start.date().replace(day=1),  # a real date, so the month sorts and filters in order
                start.date(),
                event.title,
                _label(EventFormat, event.format),
                _label(Level, event.level),
                str(event.organizer),
                len(event.attended),
                names,
            ]
        )
    sheet = Sheet(wb, _("Events"), headers, fitted_widths(headers, values), formats={0: MONTH_FORMAT})
    for line in values:
        sheet.append(line)
    sheet.close_table()


def _gratitude_sheet(wb, build):
    headers = [_("Teacher"), _("Event"), _("Date"), _("Level"), _("Organizer")]
    values = [
        [
            p.teacher.full_name,
            p.event.title,
            timezone.localtime(p.event.start).date(),
            _label(Level, p.event.level),
            str(p.event.organizer),
        ]
        for p in gratitude_list(build.academic_year)
    ]
    sheet = Sheet(wb, _("Gratitude"), headers, fitted_widths(headers, values))
    for line in values:
        sheet.append(line)
    sheet.close_table()


def rating_workbook(build: RatingBuild, out=None):
    """The head's workbook of one build: Rating, Self-report details, Categories, Course training,
    Events, Gratitude. Writes into `out` (a file object) when given, else returns the bytes."""
    rows = list(build.rows.all())
    employees = list(staff_with_dues(teacher_ids=[r.teacher_id for r in rows], as_of=build.as_of))
    wb = Workbook(write_only=True)
    wb.properties.title = _("Category-rating summary %(year)s") % {"year": build.academic_year.label}
    _rating_sheet(wb, build, rows)
    _details_sheet(wb, build, rows)
    _categories_sheet(wb, build, rows, employees)
    _courses_sheet(wb, build, employees)
    _events_sheet(wb, build)
    _gratitude_sheet(wb, build)
    if out is not None:
        wb.save(out)
        return None
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- a teacher's self-report


def self_report_workbook(report: SelfReport) -> bytes:
    """One sheet: the report's items with their entries and points, her comments and reflection."""
    content = self_report_content(report)
    headers = [
        _("Item"),
        _("Title"),
        _("Date"),
        _("Kind"),
        _("Level"),
        _("Result"),
        _("Points"),
        _("Comment"),
    ]
    values = []
    for block in content["items"]:
        comment = (report.comments or {}).get(block["item"], "")
        label = _label(ReportItem, block["item"])
        if not block["entries"]:
            values.append(
                [label, _("nothing this year"), None, "", "", "", Decimal(block["points"]), comment]
            )
        for line in block["entries"]:
            values.append(
                [
                    label,
                    line["title"],
                    datetime.date.fromisoformat(line["date"]),
                    _label(EntryKind, line["kind"]),
                    _label(Level, line["level"]),
                    _label(Result, line["result"]),
                    Decimal(line["points"]),
                    comment,
                ]
            )
    wb = Workbook(write_only=True)
    sheet = Sheet(wb, _("Self-report"), headers, fitted_widths(headers, values))
    # Whose report it is, on every printed page (the rows below the table say it too).
    sheet.ws.oddHeader.center.text = _("Self-report of %(name)s, %(year)s academic year") % {
        "name": report.teacher.full_name,
        "year": report.academic_year.label,
    }
    for line in values:
        sheet.append(line)
    sheet.close_table()
    sheet.blank()
    sheet.append([_("Total"), "", None, "", "", "", Decimal(content["total"]), ""], bold=True)
    sheet.append([_("Closing reflection"), report.reflection])
    sheet.append([_("Teacher"), report.teacher.full_name])
    sheet.append([_("Academic year"), report.academic_year.label])
    sheet.append([_("Status"), str(report.get_status_display())])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
