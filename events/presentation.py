"""What a teacher's event row shows, worked out once per row in Python: the sign-up badges and the
one action (cancel, sign up, join the waiting list, closed) and its markup; the facts line of a row.

A list of 40 events rendered these through template conditions, lookups and an include per row;
computed here, the templates only print them (issue #12: pages that stay fast as the plan grows).
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
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
    """The sign-up block of one event for the signed-in teacher."""

    badges: tuple
    action: str = ""  # "cancel", "sign_up", "closed" or ""
    url: str = ""
    label: str = ""
    button: str = ""  # the sign-up button's Bootstrap class

    def html(self, *, event_pk, csrf_token: str, next_url: str):
        """The block's markup (every text escaped): its badges, then the action, a link to the
        cancel page that asks first, the sign-up form, or «Sign-up closed». Written here rather than
        in a template included per row: a month of 40 events rendered 40 includes of a dozen nodes."""
        badges = format_html_join(
            "",
            '<span class="badge text-bg-{}"{}>{}</span>',
            (
                (badge.css, format_html(' data-test="{}"', badge.test) if badge.test else "", badge.text)
                for badge in self.badges
            ),
        )
        if self.action == "cancel":
            action = format_html(
                '<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>', self.url, self.label
            )
        elif self.action == "sign_up":
            action = format_html(
                '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="next" value="{}"><button type="submit" class="btn btn-sm {}">{}</button>'
                "</form>",
                self.url,
                csrf_token,
                next_url,
                self.button,
                self.label,
            )
        elif self.action == "closed":
            action = format_html('<span class="text-muted small">{}</span>', self.label)
        else:
            action = ""
        return format_html(
            '<div class="d-flex flex-wrap align-items-center gap-2 signup" data-event="{}">{}{}</div>',
            event_pk,
            badges,
            action,
        )


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
        return SignupState(tuple(badges))
    if event.signup_is_open:
        if status in (ParticipationStatus.SIGNED_UP, ParticipationStatus.WAITING):
            # A page that asks for confirmation first: one tap must not give a place away.
            label = (
                _("Leave the waiting list")
                if status == ParticipationStatus.WAITING
                else _("Cancel my sign-up")
            )
            url = f"{reverse('events:cancel', args=[event.pk])}?next={quote(next_url, safe='/')}"
            return SignupState(tuple(badges), "cancel", url, label)
        if status not in (ParticipationStatus.ATTENDED, ParticipationStatus.ABSENT):
            full = event.is_full
            return SignupState(
                tuple(badges),
                "sign_up",
                reverse("events:sign_up", args=[event.pk]),
                _("Join the waiting list") if full else _("Sign up"),
                "btn-outline-primary" if full else "btn-primary",
            )
        return SignupState(tuple(badges))
    if event.status == EventStatus.PLANNED:
        return SignupState(tuple(badges), "closed", label=_("Sign-up closed"))
    return SignupState(tuple(badges))


def event_facts(event) -> str:
    """«Семинар · Муниципальный · ИМЦ · Тема серии»: the facts line of a row of the month's plan."""
    parts = [capfirst(event.get_format_display()), event.get_level_display(), str(event.organizer)]
    if event.series_id:
        parts.append(event.series.theme)
    return " · ".join(str(part) for part in parts)


def signup_html(event, participation, *, request):
    """The sign-up block of `event` for the teacher with `participation` (None if she has none), in
    markup, bringing her back to the page she is on."""
    next_url = request.get_full_path()
    state = signup_state(event, participation, next_url=next_url)
    # One masked CSRF token for every form of the page: get_token() masks afresh each call, 32
    # random characters from the system's random source, the most expensive part of a row.
    token = getattr(request, "_signup_csrf_token", None)
    if token is None:
        token = request._signup_csrf_token = get_token(request)
    return state.html(event_pk=event.pk, csrf_token=token, next_url=next_url)


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
