"""The head's workbook of a rating build, and a teacher's self-report, as xlsx.

Rows stream into write-only worksheets, so memory stays flat however many entries there are;
column widths are fixed before the first row (write-only sheets write them first), from the rows
in hand or, for the streamed details, from the longest values in the database.
"""

import datetime
import functools
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import EventFormat, Level
from kindergarten_portal.sheets.xlsx_out import (
    CHART_BESIDE,
    MAX_WIDTH,
    MONTH_FORMAT,
    PERCENT_FORMAT,
    Sheet,
    fitted_widths,
    new_workbook,
    print_widths,
    workbook_bytes,
)
from portfolios.models import EntryKind, ReportItem, Result
from staff.models import Category, Position, base_category, category_group_label
from staff.selectors import course_due_cutoff

from .models import DIRECTION_LABELS, DIRECTIONS, Outcome, RatingBuild, SelfReport
from .scoring import entry_points, ordered_rules
from .selectors.dashboard import (
    category_distribution,
    course_hours_since,
    dashboard_figures,
    events_of_year,
    gratitude_list,
)
from .selectors.rating import approved_entries_of_year, rows_grouped_by_category
from .selectors.self_reports import self_report_content


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


# ---------------------------------------------------------------- the head's workbook


def _rating_sheet(wb, build, rows):
    """The figures a head compares, one row per teacher; the criteria have a sheet of their own."""
    headers = [
        _("Rank"),
        _("Rank in category"),
        _("Teacher"),
        _("Category"),
        *[DIRECTION_LABELS[d] for d in DIRECTIONS],
        _("Total"),
        _("Recommendation"),
    ]
    values = [
        [
            row.rank,
            row.category_rank,
            row.teacher_name,
            category_group_label(row.category),
            *row.directions,
            row.total,
            _outcome_label(row.recommendation),
        ]
        for row in rows_grouped_by_category(rows)
    ]
    # The ranks and the total are centred: a right-aligned number beside a name reads as «1Антонова».
    widths = print_widths(fitted_widths(headers, values), headers, wrap=(2, 3, 9), rows=values)
    sheet = Sheet(wb, _("Rating"), headers, widths, centered={0, 1, 8})
    for line in values:
        sheet.append(line)
    sheet.close_table()


def _criteria_sheet(wb, rows):
    """Why each teacher is (not) recommended: the long text the rating sheet leaves out."""
    headers = [
        _("Teacher"),
        _("Position"),
        _("Category"),
        _("Recommendation"),
        _("Criteria met and missed"),
    ]
    values = [
        [
            row.teacher_name,
            _label(Position, row.position),
            category_group_label(row.category),
            _outcome_label(row.recommendation),
            _criteria_text(row.criteria),
        ]
        for row in rows_grouped_by_category(rows)
    ]
    widths = print_widths(fitted_widths(headers, values), headers, wrap=(1, 4), rows=values)
    sheet = Sheet(wb, _("Recommendation criteria"), headers, widths)
    for line in values:
        sheet.append(line)
    sheet.close_table()


def _summary_sheet(wb, rows):
    """The average total per category, and its chart: a sheet apart from the long rating table."""
    headers = [_("Category"), _("Teachers"), _("Average total"), _("Recommended")]
    values = []
    # Each row in one base category: a methodologist or mentor is among the highest.
    categories = [c for c, n in category_distribution(row.category for row in rows).categories if n]
    for category in categories:
        group = [r for r in rows if base_category(r.category) == category]
        average = (sum((r.total for r in group), Decimal(0)) / len(group)).quantize(Decimal("0.1"))
        recommended = sum(1 for r in group if r.recommendation)
        values.append([category_group_label(category), len(group), average, recommended])
    sheet = Sheet(wb, _("Summary by category"), headers, fitted_widths(headers, values))
    for line in values:
        sheet.append(line)
    sheet.close_table()
    if categories:
        sheet.bar_chart(_("Average total by category"), _("Points"), column=2, rows=len(values))


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
    widths = print_widths(widths, headers, wrap=(0, 1, 2, 7))
    # The date is centred: beside the kind's text a right-aligned date would run into it.
    sheet = Sheet(wb, _("Self-report details"), headers, widths, centered={3})
    rules = ordered_rules(organization=build.organization)
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

    # A few dozen kinds of entry under the rules: each scored once, not once a row.
    @functools.cache
    def points(item, level, result, hours):
        return entry_points(rules, item=item, level=level, result=result, hours=hours)

    teacher, full_name = None, ""
    for surname, name, patronymic, item, title, day, kind, level, result, organizer, hours in stream:
        if (surname, name, patronymic) != teacher:  # her entries come one after another
            teacher = (surname, name, patronymic)
            full_name = " ".join(p for p in teacher if p)
        sheet.append(
            [
                full_name,
                item_labels.get(item, item),
                title,
                day,
                kind_labels.get(kind, kind),
                level_labels.get(level, level),
                result_labels.get(result, result),
                organizer,
                hours,
                points(item, level, result, hours),
            ]
        )
    sheet.close_table()


def _categories_sheet(wb, figures):
    young = figures.young
    total = figures.staff_total
    headers = [_("Category"), _("Teachers"), _("Share")]
    distribution = figures.distribution
    # Each teacher in one row (highest, first, none): the rows add up to the total and the shares,
    # rounded as the sheet shows them, to 100%. The titles are named within the highest, below.
    values = [
        [category_group_label(c), n, float(share) / 100]
        for (c, n), share in zip(distribution.categories, distribution.shares(), strict=True)
    ]
    title_values = [
        [
            _("%(category)s, including %(title)s")
            % {"category": Category.HIGHEST.label, "title": Category(t).label},
            n,
        ]
        for t, n in distribution.titles
    ]
    due_values = [[d.employee.full_name, str(d.kind_display), d.action_date] for d in figures.due]
    due_headers = [_("Teacher"), _("What is due"), _("Due date")]
    # The widths hold every block's labels, so none of them is cut or broken mid-word; the names and
    # dues wrap so that the table and its chart print one page wide.
    blocks = [*values, *title_values, due_headers, *due_values, [_("Young teachers"), 0, 0]]
    widths = print_widths(
        fitted_widths(headers, blocks), headers, wrap=(0, 1), rows=blocks, extra_pixels=CHART_BESIDE
    )
    # Other blocks with their own headers follow the table: its header is not repeated on each page.
    sheet = Sheet(wb, _("Categories"), headers, widths, repeat_header=False)
    for label, count, share in values:
        sheet.append([label, count, sheet.cell(share, number_format=PERCENT_FORMAT)])
    sheet.close_table()
    sheet.append(
        [_("Total"), total, sheet.cell(1 if total else 0, bold=True, number_format=PERCENT_FORMAT)], bold=True
    )
    for label, count in title_values:
        sheet.append([label, count, ""])
    sheet.append([_("Young teachers"), young, ""])
    sheet.bar_chart(_("Qualification categories"), _("Teachers"), column=1, rows=len(values))

    sheet.blank()
    sheet.append([_("Attestations due in the next 12 months")], bold=True)
    sheet.append(due_headers, bold=True)
    for line in due_values:
        sheet.append(line)
    if not due_values:
        sheet.append([_("none")])


def _courses_sheet(wb, build, figures):
    employees = figures.employees
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
    widths = print_widths(fitted_widths(headers, values), headers, wrap=(0, 2), rows=values)
    sheet = Sheet(wb, _("Course training"), headers, widths, centered={5})
    for line in values:
        sheet.append(line)
    sheet.close_table()
    sheet.blank()
    sheet.append([_("Teachers covered"), f"{figures.covered} / {figures.staff_total}"], bold=True)
    sheet.append(
        [
            _("%(percent)d%% of teachers have completed course training")
            % {"percent": figures.coverage_percent}
        ],
        bold=True,
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
    widths = print_widths(fitted_widths(headers, values), headers, wrap=(2, 5, 7), rows=values)
    sheet = Sheet(wb, _("Events"), headers, widths, formats={0: MONTH_FORMAT}, centered={1, 6})
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
    widths = print_widths(fitted_widths(headers, values), headers, wrap=(1, 4), rows=values)
    sheet = Sheet(wb, _("Gratitude"), headers, widths, centered={2})
    for line in values:
        sheet.append(line)
    sheet.close_table()


def rating_workbook(build: RatingBuild, out=None):
    """The head's workbook of one build: Rating, Summary by category, Recommendation criteria,
    Self-report details, Categories, Course training, Events, Gratitude. Every sheet prints on A4
    landscape at 70% or more. Writes into `out` (a file object) when given, else returns the bytes."""
    rows = list(build.rows.all())
    # The figures of the build's teachers on its date, read as the dashboard reads them.
    figures = dashboard_figures(
        year=build.academic_year, as_of=build.as_of, teacher_ids=[r.teacher_id for r in rows]
    )
    wb = new_workbook(
        _("Category-rating summary %(year)s") % {"year": build.academic_year.label},
        out,
        kindergarten=build.organization,
    )
    _rating_sheet(wb, build, rows)
    _summary_sheet(wb, rows)
    _criteria_sheet(wb, rows)
    _details_sheet(wb, build, rows)
    _categories_sheet(wb, figures)
    _courses_sheet(wb, build, figures)
    _events_sheet(wb, build)
    _gratitude_sheet(wb, build)
    return workbook_bytes(wb)


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
    # Below the table, in its first two columns: whose report it is, her reflection.
    about = [
        [_("Closing reflection"), report.reflection],
        [_("Teacher"), report.teacher.full_name],
        [_("Academic year"), report.academic_year.label],
        [_("Status"), str(report.get_status_display())],
    ]
    wb = new_workbook(kindergarten=report.teacher.organization)
    widths = print_widths(
        fitted_widths(headers, values),
        headers,
        wrap=(0, 1, 7),
        rows=[*values, *(row + [""] * 6 for row in about)],
    )
    sheet = Sheet(wb, _("Self-report"), headers, widths, centered={2, 6})
    # Whose report it is, on every printed page (the rows below the table say it too).
    sheet.page_header(
        _("Self-report of %(name)s, %(year)s academic year")
        % {"name": report.teacher.full_name, "year": report.academic_year.label}
    )
    for line in values:
        sheet.append(line)
    sheet.close_table()
    sheet.blank()
    sheet.append([_("Total"), "", None, "", "", "", Decimal(content["total"]), ""], bold=True)
    for row in about:
        sheet.append(row)
    return workbook_bytes(wb)
