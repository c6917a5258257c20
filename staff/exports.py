"""The staff list as an xlsx workbook (the selected rows of the admin list)."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kindergarten_portal.spreadsheets import DATE_FORMAT, text_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def staff_workbook(employees) -> bytes:
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
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Staff"))
    for index, (_title, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    # Print set-up before any row: a write-only sheet ignores what is set after rows are written.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.row_dimensions[1].height = 30  # the two-line headers wrap

    def header_cell(text):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def date_cell(value):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    ws.append([header_cell(title) for title, _width in headers])
    count = 0
    today = timezone.localdate()
    for employee in employees:
        count += 1
        course = employee.last_course
        years, _months = employee.experience_on(today)
        ws.append(
            [
                text_cell(ws, employee.full_name),
                str(employee.get_position_display()),
                text_cell(ws, ", ".join(g.name for g in employee.groups.all())),
                str(employee.current_category_display),
                date_cell(employee.attestation_due),
                years,
                _("yes") if employee.is_young_teacher else _("no"),
                text_cell(ws, course.programme) if course else "",
                date_cell(course.end_date if course else None),
                date_cell(employee.course_due),
                text_cell(ws, employee.phone),
                text_cell(ws, employee.email),
            ]
        )
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def self_evaluation_workbook(evaluation) -> bytes:
    """One sheet named with the date: the self-evaluation staff indicators (a `SelfEvaluation`)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{_('Self-evaluation')} {date_format(evaluation.on, 'd.m.Y')}"[:31])
    for letter, width in zip("ABCD", (10, 90, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    headers = []
    for text in (_("No."), _("Indicator"), _("Value"), _("Share, %")):
        headers.append(WriteOnlyCell(ws, value=text))
        headers[-1].font, headers[-1].fill = HEADER_FONT, HEADER_FILL
    ws.append(headers)
    for row in evaluation.indicators:
        share = WriteOnlyCell(ws, value=row.share)
        share.number_format = "0.0"
        title = text_cell(ws, str(row.title))
        title.alignment = Alignment(wrap_text=True, indent=row.depth)
        ws.append([row.number, title, row.value, share])
    for message, count in evaluation.gaps:
        ws.append(["", text_cell(ws, f"{message}: {count}")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
