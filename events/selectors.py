"""Reads of events used by the teacher pages, the public pages, the feeds and the admin."""

import datetime

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from kindergarten_portal.models import GENERIC_KINDERGARTEN_NAME, Organization, OrganizationKind
from staff.academic import AcademicYear
from staff.models import Employee

from .models import (
    PLACE_TAKING,
    Event,
    EventCertificate,
    EventStatus,
    ExternalParticipant,
    Participation,
    ParticipationStatus,
    over_q,
)


def own_kindergarten() -> Organization:
    """Our kindergarten: the organization marked as one's own, the first on the portal (its own
    addresses serve it). Without one on record, an unsaved organization with a generic name and no head.
    One query a call."""
    own = Organization.objects.own()
    if own is None:
        own = Organization(name=GENERIC_KINDERGARTEN_NAME, kind=OrganizationKind.KINDERGARTEN, is_own=True)
    return own


def personal_data_operator(kindergarten=None) -> str:
    """The operator of personal data the consent texts and the privacy policy name (152-FZ): the body
    that runs the portal (the setting PERSONAL_DATA_OPERATOR, for a portal of several kindergartens),
    else the kindergarten whose people or event the text is about (ours by default), which then
    processes them itself."""
    if settings.PERSONAL_DATA_OPERATOR:
        return settings.PERSONAL_DATA_OPERATOR
    return (kindergarten or own_kindergarten()).name


# What teachers see in the plan: drafts stay with the office.
VISIBLE_STATUSES = (EventStatus.PLANNED, EventStatus.HELD, EventStatus.CANCELLED)
# The public pages and feeds read a window of time, not the whole history: the open-events page the
# coming weeks, the open calendar the last month and the coming year.
OPEN_LIST_AHEAD = datetime.timedelta(weeks=12)
OPEN_CALENDAR_BEHIND = datetime.timedelta(days=31)
OPEN_CALENDAR_AHEAD = datetime.timedelta(days=366)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the month and of the next one, in the portal's time zone."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime(year, month, 1, tzinfo=tz)
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return first, following


def _places_taken(event):
    """(teachers holding a place, external registrations) of the event that `event` (an OuterRef)
    points to, as two subquery expressions."""
    teachers = (
        Participation.objects.filter(event=event, status__in=PLACE_TAKING)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    externals = (
        ExternalParticipant.objects.filter(event=event)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Coalesce(Subquery(teachers, output_field=IntegerField()), Value(0)),
        Coalesce(Subquery(externals, output_field=IntegerField()), Value(0)),
    )


def with_places(queryset):
    """Annotate `places_taken` (teachers holding a place + external registrations) in SQL."""
    teachers, externals = _places_taken(OuterRef("pk"))
    return queryset.annotate(teachers_taken=teachers, externals_taken=externals)


def with_waiting_position(queryset):
    """Annotate participations with `waiting_position`: 1 for the first in line of a waiting list,
    2 for the next…, None for a participation not waiting. The line is the order the free places
    are given in (services._fill_from_waiting_list): by `status_changed_at`, then pk, among the
    waiting teachers still on the staff. Counted in SQL, so a list costs no query per row."""
    ahead = (
        Participation.objects.filter(
            event=OuterRef("event"),
            status=ParticipationStatus.WAITING,
            teacher__in=Employee.objects.current(),
        )
        .filter(
            Q(status_changed_at__lt=OuterRef("status_changed_at"))
            | Q(status_changed_at=OuterRef("status_changed_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        waiting_position=Case(
            When(
                status=ParticipationStatus.WAITING,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def waiting_position(participation) -> int | None:
    """The participation's place in the waiting list of its event (1 = next to get a place), or None."""
    return (
        with_waiting_position(Participation.objects.filter(pk=participation.pk))
        .values_list("waiting_position", flat=True)
        .first()
    )


def _with_my_participation(queryset, teacher):
    if teacher is None:
        return queryset
    return queryset.prefetch_related(
        Prefetch(
            "participations",
            queryset=with_waiting_position(Participation.objects.filter(teacher=teacher)),
            to_attr="my_participations",
        )
    )


def events_of_month(*, year: int, month: int, teacher=None, queryset=None):
    """Events starting in the month that teachers may see, with organizer, series, direction,
    `teachers_taken`/`externals_taken` and, for `teacher`, `my_participations` (a list of 0 or 1)."""
    first, following = month_bounds(year, month)
    queryset = Event.objects.all() if queryset is None else queryset
    queryset = (
        queryset.filter(status__in=VISIBLE_STATUSES, start__gte=first, start__lt=following)
        .select_related("organizer", "series", "direction")
        .order_by("start", "pk")
    )
    return _with_my_participation(with_places(queryset), teacher)


def event_for_page(*, pk, teacher=None, include_drafts=False):
    """One event with what its page shows; raises Event.DoesNotExist for hidden ones."""
    queryset = Event.objects.all() if include_drafts else Event.objects.filter(status__in=VISIBLE_STATUSES)
    queryset = with_places(queryset.select_related("organizer", "series", "direction")).prefetch_related(
        "co_organizers"
    )
    return _with_my_participation(queryset, teacher).get(pk=pk)


def my_events(*, teacher, year=None, now=None, past=True):
    """The teacher's page, in four lists of participations with their events:
    `recommended` (recommendations of events still ahead, newest first), `upcoming`, `sharing`
    (open experience-sharing follow-ups) and `past` (events attended in `year`, an AcademicYear,
    the current one by default: the list does not grow with the years); and `years`, the academic
    years she attended events in (newest first, the current one always), for the year switch.
    Two queries whatever her history; one with `past=False` (no `past`, no `years`: her home page)."""
    now = now or timezone.now()
    year = year or AcademicYear.of(timezone.localdate(now))
    tz = timezone.get_current_timezone()
    year_start = datetime.datetime.combine(year.start, datetime.time(), tzinfo=tz)
    year_after = datetime.datetime.combine(year.next.start, datetime.time(), tzinfo=tz)
    ahead = over_q("gte", now, "event__")
    # Places taken, for the sign-up buttons of the recommendations still ahead only (her page shows
    # buttons for those; a row she is already signed up for or a past row needs none; her home
    # page, past=False, shows no buttons at all).
    needs_places = ahead & ~Q(recommendation_reason="")
    taken, externals = _places_taken(OuterRef("event"))
    wanted = ahead | Q(sharing_due__isnull=False, sharing_done__isnull=True)
    if past:
        wanted |= Q(
            status=ParticipationStatus.ATTENDED, event__start__gte=year_start, event__start__lt=year_after
        )
    rows = list(
        with_waiting_position(Participation.objects.filter(teacher=teacher))
        .filter(wanted)
        .annotate(
            **(
                {
                    "event_teachers_taken": Case(When(needs_places, then=taken), default=Value(0)),
                    "event_externals_taken": Case(When(needs_places, then=externals), default=Value(0)),
                }
                if past
                else {"event_teachers_taken": Value(0), "event_externals_taken": Value(0)}
            )
        )
        .select_related("event__organizer", "recommended_by", "certificate")
        .order_by("event__start", "pk")
    )
    for participation in rows:
        participation.event.teachers_taken = participation.event_teachers_taken
        participation.event.externals_taken = participation.event_externals_taken
        participation.teacher = teacher  # for her words («записана»), without a query per row
    recommended = sorted(
        (
            p
            for p in rows
            if p.is_recommended and p.event.finish >= now and p.event.status != EventStatus.DRAFT
        ),
        key=lambda p: p.recommended_at or now,
        reverse=True,
    )
    upcoming = [
        p
        for p in rows
        if p.event.finish >= now
        and p.status in (ParticipationStatus.SIGNED_UP, ParticipationStatus.WAITING)
        and p not in recommended
    ]
    sharing = [p for p in rows if p.sharing_open]
    lists = {"recommended": recommended, "upcoming": upcoming, "sharing": sharing}
    if not past:
        return lists
    past = [
        p
        for p in rows
        if p.event.finish < now
        and p.status == ParticipationStatus.ATTENDED
        and year_start <= p.event.start < year_after
    ]
    first = Participation.objects.filter(teacher=teacher, status=ParticipationStatus.ATTENDED).aggregate(
        first=Min("event__start")
    )["first"]
    current = AcademicYear.of(timezone.localdate(now))
    oldest = min(AcademicYear.of(timezone.localdate(first)), current) if first else current
    years = [AcademicYear(start) for start in range(current.start_year, oldest.start_year - 1, -1)]
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return {**lists, "past": past, "year": year, "years": years}


def public_open_events():
    """Events open to partners that the public may see: every status but draft."""
    return Event.objects.filter(is_open=True).exclude(status=EventStatus.DRAFT).select_related("organizer")


def upcoming_open_events(*, now=None):
    """Events open to partners, planned and starting within the next OPEN_LIST_AHEAD, with places
    taken."""
    now = now or timezone.now()
    return with_places(
        Event.objects.filter(
            is_open=True, status=EventStatus.PLANNED, start__gt=now, start__lte=now + OPEN_LIST_AHEAD
        )
        .select_related("organizer")
        .order_by("start", "pk")
    )


def open_calendar_events(*, now=None):
    """The public calendar's events: open to partners, not drafts, ending within the last
    OPEN_CALENDAR_BEHIND and starting within the next OPEN_CALENDAR_AHEAD."""
    now = now or timezone.now()
    return public_open_events().filter(
        over_q("gte", now - OPEN_CALENDAR_BEHIND), start__lte=now + OPEN_CALENDAR_AHEAD
    )


def published_results_lean():
    """Held events whose results are published, newest first, with their organizer only: what
    the feed needs (slice it)."""
    return (
        Event.objects.filter(status=EventStatus.HELD, results_published=True)
        .select_related("organizer")
        .order_by("-start", "-pk")
    )


def published_results():
    """Held events whose results are published, newest first, with photos, co-organizers and
    the teachers who took part (attended)."""
    attended = Participation.objects.filter(status=ParticipationStatus.ATTENDED).select_related(
        "teacher__organization"
    )
    return published_results_lean().prefetch_related(
        "photos",
        "co_organizers",
        Prefetch("participations", queryset=attended, to_attr="attended_participations"),
    )


def name_participants_publicly(events, *, on):
    """Give each attended participation of `events` (from `published_results`) its `public_name`:
    her full name where she consented to it and is not dismissed on `on`, else her position and
    her kindergarten («воспитатель МБДОУ «Детский сад № 12»»), never a name (152-FZ art. 10.1)."""
    for event in events:
        for participation in event.attended_participations:
            teacher = participation.teacher
            if teacher.name_is_public(on):
                participation.public_name = teacher.full_name
            else:
                participation.public_name = f"{teacher.get_position_display()} {teacher.organization.name}"
    return events


def events_of_teacher_calendar(*, teacher):
    """Events the teacher is signed up for, attended or waits for, for her personal calendar,
    each with `my_status` (her participation's status) and `my_waiting_position`."""
    mine = with_waiting_position(Participation.objects.filter(event=OuterRef("pk"), teacher=teacher))
    return (
        Event.objects.annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_waiting_position=Subquery(mine.values("waiting_position")[:1]),
        )
        .filter(
            participations__teacher=teacher,
            participations__status__in=(
                ParticipationStatus.SIGNED_UP,
                ParticipationStatus.WAITING,
                ParticipationStatus.ATTENDED,
            ),
        )
        .exclude(status=EventStatus.DRAFT)
        .select_related("organizer")
        .order_by("start", "pk")
    )


def organizations_with_membership(*, on=None):
    """Organizations annotated with `is_member` (a membership period covers `on`, default today), by
    name: a query with GROUP BY keeps no model ordering, and the organizer autocomplete pages it."""
    on = on or timezone.localdate()
    return Organization.objects.annotate(
        active_periods=Count(
            "memberships",
            filter=Q(memberships__joined__lte=on)
            & (Q(memberships__left__isnull=True) | Q(memberships__left__gte=on)),
        )
    ).order_by("name", "pk")


def certificates_with_holders():
    """Certificates with their holder, event, organizer and issuing kindergarten loaded (what the PDF
    and pages read)."""
    return EventCertificate.objects.select_related(
        "issued_by",
        "participation__teacher",
        "participation__event__organizer",
        "external_participant__event__organizer",
    )


def teacher_certificates(*, teacher):
    """The certificates of the events the teacher attended, revoked ones too, the latest event first,
    with what her certificates page and the PDF read."""
    return (
        certificates_with_holders()
        .filter(participation__teacher=teacher, participation__status=ParticipationStatus.ATTENDED)
        .order_by("-participation__event__start", "-pk")
    )


def event_certificates(*, event):
    """The event's certificates in force (not revoked, attendance still marked), teachers by
    surname, then external participants by name."""
    certificates = certificates_with_holders().filter(revoked_at__isnull=True)
    teachers = certificates.filter(
        participation__event=event, participation__status=ParticipationStatus.ATTENDED
    ).order_by("participation__teacher__surname", "participation__teacher__name", "pk")
    guests = certificates.filter(
        external_participant__event=event, external_participant__attended=True
    ).order_by("external_participant__full_name", "pk")
    return list(teachers) + list(guests)


def sign_in_sheet_rows(*, event):
    """(participations, external participants) listed on the event's sign-in sheet: teachers
    holding a place (signed up or attended) by surname, then everyone registered on the public page."""
    participations = (
        Participation.objects.filter(event=event, status__in=PLACE_TAKING)
        .select_related("teacher__organization")
        .order_by("teacher__surname", "teacher__name", "pk")
    )
    externals = ExternalParticipant.objects.filter(event=event).order_by("created_at", "pk")
    return list(participations), list(externals)


# Listed on the attendance page after those who hold a place, as not signed up.
NOT_SIGNED_UP = (ParticipationStatus.WAITING, ParticipationStatus.RECOMMENDED)


def attendance_rows(*, event) -> list[Participation]:
    """The event's participations its attendance page lists, with their teacher: those holding a
    place or marked absent, by surname as on the sign-in sheet, then the waiting list and the
    recommended (`status` tells them apart). Those who cancelled are left out."""
    rows = (
        Participation.objects.filter(event=event)
        .exclude(status=ParticipationStatus.CANCELLED)
        .select_related("teacher")
        .order_by("teacher__surname", "teacher__name", "pk")
    )
    return sorted(rows, key=lambda row: row.status in NOT_SIGNED_UP)


def waiting_list_length(event) -> int:
    """How many teachers still on the staff wait for a place at the event."""
    return Participation.objects.filter(
        event=event, status=ParticipationStatus.WAITING, teacher__in=Employee.objects.current()
    ).count()


def events_attendance_unmarked(*, now=None):
    """Events already over (not cancelled, not drafts) where some teachers are still "signed up":
    the senior educator has not marked their attendance. Newest first, each with `unmarked` (how many)."""
    now = now or timezone.now()
    return (
        Event.objects.filter(over_q("lt", now), status__in=(EventStatus.PLANNED, EventStatus.HELD))
        .annotate(
            unmarked=Count("participations", filter=Q(participations__status=ParticipationStatus.SIGNED_UP))
        )
        .filter(unmarked__gt=0)
        .order_by("-start", "-pk")
    )
