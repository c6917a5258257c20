"""Which events and participations a user may see, enforced in the query (others' rows are a 404)."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kindergarten_portal.roles import can_read_everything
from staff.models import Employee

from .models import Event, Participation
from .selectors import VISIBLE_STATUSES


def _staff_record(user):
    """The account's staff record with the user and `is_current` (not dismissed), or None."""
    if not user.is_authenticated:
        return None
    current = Employee.objects.current().filter(pk=OuterRef("pk"))
    return (
        Employee.objects.filter(user=user).select_related("user").annotate(is_current=Exists(current)).first()
    )


def teacher_for_user(user):
    """The signed-in teacher's staff record (light: with the user), or 404 if the account has none
    or she no longer works here (dismissal date passed)."""
    employee = _staff_record(user)
    if employee is None or not employee.is_current:
        raise Http404(_("Your account is not linked to a staff record."))
    return employee


def teacher_or_none(user):
    """For the plan pages every signed-in user reads: the current teacher, or None for an account
    without a staff record (the office). A dismissed teacher no longer sees the plan: 404."""
    employee = _staff_record(user)
    if employee is None:
        return None
    if not employee.is_current and not can_read_everything(user):
        raise Http404
    return employee if employee.is_current else None


def events_visible_to(user):
    """Drafts are the office's: the senior educator and the head see them, teachers do not;
    a teacher no longer on the staff (dismissed) sees none."""
    if can_read_everything(user):
        return Event.objects.all()
    visible = Event.objects.filter(status__in=VISIBLE_STATUSES)
    if not user.is_authenticated:
        return visible
    former = Employee.objects.filter(user=user).exclude(pk__in=Employee.objects.current().values("pk"))
    return visible.filter(~Exists(former))


def get_own_participation(user, pk):
    """A participation of the signed-in current teacher; anyone else's is a 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = Participation.objects.filter(
        teacher__user=user, teacher__in=Employee.objects.current()
    ).select_related("event__organizer", "teacher")
    return get_object_or_404(queryset, pk=pk)
