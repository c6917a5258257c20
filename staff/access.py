"""Who the signed-in user is on the staff, and which staff records she may see (enforced in the query:
someone else's record is a 404).

The policy for dismissed staff, one for every app: from her dismissal date on, a teacher has no
self-service (her pages answer 403 with the reason), her records stay for the office, and her public
pages (mini-site, calendar feed) are gone (404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from kindergarten_portal.access.employment import current_employment
from kindergarten_portal.access.roles import can_read_everything

from .models import Employee, Training


def staff_record(user):
    """The staff record the account works under (dismissed or not), or None: the current one, else her
    last (kindergarten_portal.access.employment.current_employment). The sign-in backend reads it with
    the request's user; for another user object it is read once and kept on the object."""
    return current_employment(user)


def is_dismissed(employee, *, on=None):
    """True from the day after the dismissal date: the dismissal date is her last working day, and
    her own pages (her certificates among them) stay open until it ends. The office's lists count
    her out from that date already (Employee.objects.current())."""
    on = on or timezone.localdate()
    return employee.dismissal_date is not None and employee.dismissal_date < on


def current_teacher(user, *, on=None):
    """The account's staff record while she works here (on that date, today by default), else None:
    no account, no staff record, or dismissed."""
    employee = staff_record(user)
    if employee is None or is_dismissed(employee, on=on):
        return None
    return employee


def self_service_teacher(user):
    """For the teacher's own pages: her current staff record. An account without one gets a 404
    (there is no such page for it); a dismissed teacher a 403 that says why."""
    employee = staff_record(user)
    if employee is None:
        raise Http404(_("Your account is not linked to a staff record."))
    if is_dismissed(employee):
        raise PermissionDenied(
            _(
                "Your work at the kindergarten ended on %(date)s, so your own pages are closed. "
                "Your records stay with the methodological office: ask the senior educator for them."
            )
            % {"date": date_filter(employee.dismissal_date, "d.m.Y")}
        )
    return employee


def current_teacher_context(request):
    """Template context: `my_employee`, the signed-in current teacher's record (or None), looked up
    only if a template uses it: the menu shows her own pages only while she works here."""
    return {"my_employee": SimpleLazyObject(lambda: current_teacher(request.user))}


def employees_visible_to(user):
    if can_read_everything(user):
        return Employee.objects.all()
    teacher = current_teacher(user)
    if teacher is not None:
        return Employee.objects.filter(pk=teacher.pk)
    return Employee.objects.none()


def get_employee_for_user(user, pk):
    return get_object_or_404(employees_visible_to(user), pk=pk)


def get_training_for_user(user, pk):
    """A course, retraining or degree of a staff record the user may see (her own, or any for the
    senior educator and the head), else 404."""
    return get_object_or_404(Training.objects.filter(employee__in=employees_visible_to(user)), pk=pk)
