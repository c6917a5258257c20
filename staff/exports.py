"""The staff list as an xlsx workbook (the selected rows of the admin list)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kindergarten_portal.spreadsheets import Sheet, new_workbook, workbook_bytes


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
    wb = new_workbook()
    sheet = Sheet(wb, _("Staff"), [title for title, _width in headers], [width for _title, width in headers])
    today = timezone.localdate()
    for employee in employees:
        course = employee.last_course
        years, _months = employee.experience_on(today)
        sheet.append(
            [
                employee.full_name,
                str(employee.get_position_display()),
                ", ".join(g.name for g in employee.groups.all()),
                str(employee.current_category_display),
                employee.attestation_due,
                years,
                _("yes") if employee.is_young_teacher else _("no"),
                course.programme if course else "",
                course.end_date if course else None,
                employee.course_due,
                employee.phone,
                employee.email,
            ]
        )
    sheet.close_table()
    return workbook_bytes(wb)
