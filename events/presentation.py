"""What a teacher's event row shows, worked out once per row in Python: the sign-up badges and the
one action (cancel, sign up, join the waiting list, closed), which templates/events/_signup.html
shows; the facts line, time and places of a row.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kindergarten_portal.templatetags.words import date_weekday_time

from .models import EventStatus, ParticipationStatus


@dataclass(frozen=True)
class Badge:
    css: str  # Bootstrap's text-bg-… suffix
    text: str
    test: str = ""  # data-test, for the tests


@dataclass(frozen=True)
class SignupState:
    """The sign-up block of one event for the signed-in teacher, shown by events/_signup.html."""

    event_pk: int
    badges: tuple
    next_url: str = ""  # where the action brings her back to
    action: str = ""  # "cancel", "sign_up", "closed" or ""
    url: str = ""
    label: str = ""
    button: str = ""  # the sign-up button's Bootstrap class


def _waiting_badge(participation):
    if participation.waiting_position:
        text = _("You are on the waiting list: place No. %(position)s") % {
            "position": participation.waiting_position
        }
    else:
        text = _("On the waiting list")
    return Badge("secondary", text, "status")


def signup_state(event, participation, *, next_url: str) -> SignupState:
    """The badges and the action for `event` and the teacher's `participation` (None if she has none);
    `next_url` is where the action brings her back to."""
    status = participation.status if participation else ""
    badges = []
    if participation is not None and participation.is_recommended:
        badges.append(Badge("warning", _("Recommended to you")))
    if status == ParticipationStatus.SIGNED_UP:
        badges.append(Badge("success", _("You are signed up"), "status"))
    elif status == ParticipationStatus.WAITING:
        badges.append(_waiting_badge(participation))
    elif status == ParticipationStatus.ATTENDED:
        badges.append(Badge("success", _("Attended"), "status"))
    elif status == ParticipationStatus.ABSENT:
        badges.append(Badge("light", _("Absent"), "status"))
    if event.status == EventStatus.CANCELLED:
        badges.append(Badge("danger", _("Cancelled")))
        return SignupState(event.pk, tuple(badges), next_url)
    if event.signup_is_open:
        if status in (ParticipationStatus.SIGNED_UP, ParticipationStatus.WAITING):
            # A page that asks for confirmation first: one tap must not give a place away.
            label = (
                _("Leave the waiting list")
                if status == ParticipationStatus.WAITING
                else _("Cancel my sign-up")
            )
            url = f"{reverse('events:cancel', args=[event.pk])}?next={quote(next_url, safe='/')}"
            return SignupState(event.pk, tuple(badges), next_url, "cancel", url, label)
        if status not in (ParticipationStatus.ATTENDED, ParticipationStatus.ABSENT):
            full = event.is_full
            return SignupState(
                event.pk,
                tuple(badges),
                next_url,
                "sign_up",
                reverse("events:sign_up", args=[event.pk]),
                _("Join the waiting list") if full else _("Sign up"),
                "btn-outline-primary" if full else "btn-primary",
            )
        return SignupState(event.pk, tuple(badges), next_url)
    if event.status == EventStatus.PLANNED:
        return SignupState(event.pk, tuple(badges), next_url, "closed", label=_("Sign-up closed"))
    return SignupState(event.pk, tuple(badges), next_url)


def event_facts(event) -> str:
    """«Семинар · Муниципальный · ИМЦ · Тема серии»: the facts line of a row of the month's plan."""
    parts = [capfirst(event.get_format_display()), event.get_level_display(), str(event.organizer)]
    if event.series_id:
        parts.append(event.series.theme)
    return " · ".join(str(part) for part in parts)


def signup_for(event, participation, *, request) -> SignupState:
    """The sign-up block of `event` for the teacher with `participation` (None if she has none),
    bringing her back to the page she is on."""
    return signup_state(event, participation, next_url=request.get_full_path())


def event_when(event) -> str:
    """«12.12.2026, суббота 10:00–12:00» (without an end: «… 10:00»): a row's time, in the portal's
    time zone."""
    start = timezone.localtime(event.start)
    if event.end is None:
        return date_weekday_time(start)
    return f"{date_weekday_time(start)}–{timezone.localtime(event.end):%H:%M}"


def event_places_line(event) -> str:
    """«Осталось мест: 3 из 20» for a planned event with a capacity, else ""."""
    if event.capacity is None or event.status != EventStatus.PLANNED:
        return ""
    return _("Places left: %(left)s of %(capacity)s") % {
        "left": event.places_left,
        "capacity": event.capacity,
    }
