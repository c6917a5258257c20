"""Which events and participations a user may see, enforced in the query (others' rows are a 404)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kindergarten_portal.roles import can_read_everything
from staff.models import Employee

from .models import Event, Participation
from .selectors import VISIBLE_STATUSES


def teacher_for_user(user):
    """The signed-in teacher's staff record (light: with the user), or 404 if the account has none."""
    employee = (
        Employee.objects.filter(user=user).select_related("user").first() if user.is_authenticated else None
    )
    if employee is None:
        raise Http404(_("Your account is not linked to a staff record."))
    return employee


def events_visible_to(user):
    """Drafts are the office's: the senior educator and the head see them, teachers do not."""
    if can_read_everything(user):
        return Event.objects.all()
    return Event.objects.filter(status__in=VISIBLE_STATUSES)


def get_own_participation(user, pk):
    """A participation of the signed-in teacher; anyone else's is a 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = Participation.objects.filter(teacher__user=user).select_related("event__organizer", "teacher")
    return get_object_or_404(queryset, pk=pk)
