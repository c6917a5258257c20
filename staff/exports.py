"""The staff list as an xlsx workbook (the selected rows of the admin list)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kindergarten_portal.sheets.xlsx_out import (
    Sheet,
    header_floor,
    new_workbook,
    print_widths,
    workbook_bytes,
)

from .selectors import attestation_state


def staff_workbook(employees, *, kindergarten=None) -> bytes:
    """One sheet: the given employees (rows from `employees_with_dues`) with categories and dues."""
    headers = [
        (_("Full name"), 34),
        (_("Position"), 26),
        (_("Groups"), 22),
        (_("Category"), 22),
        (_("Category valid until"), 14),
        (_("Experience, years"), 12),
        (_("Young teacher"), 10),
        (_("Last course training"), 40),
        (_("Course ended"), 14),
        (_("Next course due"), 14),
        (_("Phone"), 18),
        (_("E-mail"), 28),
    ]
    today = timezone.localdate()
    rows = []
    for employee in employees:
        state = attestation_state(employee, on=today)
        course = employee.last_course
        years, _months = employee.experience_on(today)
        rows.append(
            [
                employee.full_name,
                str(employee.get_position_display()),
                ", ".join(g.name for g in employee.groups.all()),
                ", ".join(
                    [str(employee.current_category_display)]
                    + [str(t.get_category_display()) for t in employee.current_titles]
                ),
                _("no end date")
                if state.without_term
                else (state.decision.valid_until if state.decision else None),
                years,
                _("yes") if employee.is_young_teacher else _("no"),
                course.programme if course else "",
                course.end_date if course else None,
                state.course.date if state.course else None,
                employee.phone,
                employee.email,
            ]
        )
    wb = new_workbook(kindergarten=kindergarten)
    titles = [title for title, _width in headers]
    # The text columns wrap so that the list prints one page wide, or two side by side where long
    # names, courses and e-mails leave too little to wrap (kindergarten_portal.sheets.xlsx_out).
    widths = print_widths(
        [width for _title, width in headers],
        titles,
        wrap=(0, 1, 2, 3, 7, 11),
        narrowest=10,
        rows=rows,
        pages=2,
    )
    # The dates and years are centred: beside the text that follows they would read as one.
    sheet = Sheet(wb, _("Staff"), titles, widths, centered={4, 5, 8, 9})
    for row in rows:
        sheet.append(row)
    sheet.close_table()
    return workbook_bytes(wb)


def attestation_calendar_workbook(dues, *, kindergarten=None) -> bytes:
    """One sheet: the attestation calendar's rows (staff.selectors.attestation_calendar)."""
    headers = [
        (_("Full name"), 34),
        (_("What is due"), 30),
        (_("Due date"), 12),
        (_("Apply by"), 12),
        (_("Reason"), 40),
        (_("Rule behind the date"), 50),
        (_("Next course due"), 14),
        (_("Overdue"), 10),
    ]
    rows = [
        [
            due.employee.full_name,
            str(due.kind_display),
            due.date,
            due.apply_by,
            str(due.reason),
            str(due.rule),
            due.employee.course_due,
            _("yes") if due.overdue else "",
        ]
        for due in dues
    ]
    titles = [title for title, _width in headers]
    # The names, dues, reasons and rules wrap: the calendar prints one A4 landscape page wide.
    widths = print_widths(
        [max(width, header_floor(title)) for title, width in headers], titles, wrap=(0, 1, 4, 5), rows=rows
    )
    wb = new_workbook(kindergarten=kindergarten)
    sheet = Sheet(wb, _("Attestation calendar"), titles, widths, centered={2, 3, 6})
    for row in rows:
        sheet.append(row)
    sheet.close_table()
    return workbook_bytes(wb)


def self_evaluation_workbook(evaluation, *, kindergarten=None) -> bytes:
    """One sheet named with the date: the self-evaluation staff indicators (a `SelfEvaluation`)."""
    wb = new_workbook(kindergarten=kindergarten)
    sheet = Sheet(
        wb,
        _("Self-evaluation %(date)s") % {"date": date_format(evaluation.on, "d.m.Y")},
        [_("No."), _("Indicator"), _("Value"), _("Share, %")],
        [10, 90, 12, 12],
        formats={3: "0.0"},
    )
    for row in evaluation.indicators:
        sheet.append([row.number, "    " * row.depth + str(row.title), row.value, row.share])
    sheet.close_table()
    for message, count in evaluation.gaps:
        sheet.append(["", f"{message}: {count}", None, None])
    return workbook_bytes(wb)
