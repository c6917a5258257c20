"""Which events and participations a user may see, enforced in the query (others' rows are a 404)."""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404

from kindergarten_portal.access.roles import can_read_everything
from staff.access import current_teacher, self_service_teacher, staff_record
from staff.models import Employee

from .models import Event, Participation
from .selectors import VISIBLE_STATUSES


def teacher_or_none(user):
    """For the plan pages every signed-in user reads: the current teacher, or None for an account
    without a staff record (the office). A dismissed teacher no longer sees the plan (403, as on
    every self-service page); the office reads it even if its own staff record is dismissed."""
    if staff_record(user) is None:
        return None
    if can_read_everything(user):
        return current_teacher(user)
    return self_service_teacher(user)


def events_visible_to(user):
    """Drafts are the office's: the senior educator and the head see them, teachers do not;
    a teacher no longer on the staff (dismissed) sees none."""
    if can_read_everything(user):
        return Event.objects.all()
    visible = Event.objects.filter(status__in=VISIBLE_STATUSES)
    if staff_record(user) is not None and current_teacher(user) is None:
        return visible.none()
    return visible


def get_own_participation(user, pk):
    """A participation of the signed-in current teacher; anyone else's is a 404."""
    if not user.is_authenticated:
        raise Http404
    teacher = self_service_teacher(user)
    queryset = Participation.objects.filter(teacher=teacher).select_related("event__organizer", "teacher")
    return get_object_or_404(queryset, pk=pk)


# The link to a dismissed teacher's own certificates: no sign-in (her account no longer opens her
# pages), so the signed token is the key. The salt keeps any other signed value of the portal from
# opening it.
CERTIFICATES_LINK_SALT = "events.certificates_link"


def certificates_link_token(teacher) -> str:
    """The signed token of the teacher's certificates page: her staff record and her dismissal date.
    It has no end of its own (she needs her certificates at her next attestation, years on); it stops
    working when the office changes or clears her dismissal date, or deletes her record."""
    return signing.dumps([teacher.pk, teacher.dismissal_date.isoformat()], salt=CERTIFICATES_LINK_SALT)


def teacher_of_certificates_link(token):
    """The staff record the token was made for, or None: a tampered or made-up token, a record
    deleted, or a dismissal date changed or cleared since the link was sent."""
    try:
        pk, dismissal_date = signing.loads(token, salt=CERTIFICATES_LINK_SALT)
    except signing.BadSignature:
        return None
    return Employee.objects.filter(pk=pk, dismissal_date=dismissal_date).first()
