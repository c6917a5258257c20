"""The events' e-mails, queued in the portal's outbox (kindergarten_portal/mail/outbox.py).

The services queue a recommendation, a place freed from the waiting list and a registration when
they happen, an external participant's certificate link when she is marked attended, and a
dismissed teacher's link to her certificates when her dismissal date is entered;
`notifications_collect_due` (run by `send_notifications`) queues the date-driven ones (and a
certificate link not mailed yet) and `queue_monthly_plans` the plan of a month the senior educator has published.
Each key names what the mail is about, so it is queued once however often this runs. The wording is
in templates/emails/<name>.txt and <name>_subject.txt.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from kindergarten_portal.mail.outbox import absolute_url, outbox_queue
from kindergarten_portal.models import OutboxMessage
from kindergarten_portal.tenancy import KINDERGARTEN
from staff.models import PEDAGOGICAL_POSITIONS, Employee

from .access import certificates_link_token
from .models import (
    EventCertificate,
    EventStatus,
    ExternalParticipant,
    Participation,
    ParticipationStatus,
    PublishedPlan,
)
from .selectors import events_of_month

# The outbox kinds of the events' mails.
REMINDER = "events.reminder"
SHARING_DUE = "events.sharing_due"
RECOMMENDATION = "events.recommendation"
PLACE_FREED = "events.place_freed"
REGISTRATION = "events.registration"
MONTHLY_PLAN = "events.monthly_plan"
EXTERNAL_CERTIFICATE = "events.external_certificate"
CERTIFICATES_LINK = "events.certificates_link"

# How many days before the experience-sharing due date the teacher is reminded.
SHARING_REMINDER_DAYS = 7


def notifications_collect_due(*, now=None) -> int:
    """Queue the date-driven mails: tomorrow's reminders and experience sharing coming due.

    Returns how many new mails were queued (ones queued before are not counted again).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    tomorrow = today + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    day_start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    day_end = day_start + datetime.timedelta(days=1)
    queued = 0
    reminders = Participation.objects.filter(
        status=ParticipationStatus.SIGNED_UP,
        event__status=EventStatus.PLANNED,
        event__start__gte=day_start,
        event__start__lt=day_end,
    ).select_related("event", "teacher__user")
    for participation in reminders:
        queued += queue_reminder(participation) is not None
    sharing = Participation.objects.filter(
        sharing_due__isnull=False,
        sharing_done__isnull=True,
        sharing_due__lte=today + datetime.timedelta(days=SHARING_REMINDER_DAYS),
    ).select_related("event", "teacher__user")
    for participation in sharing:
        queued += queue_sharing_due(participation) is not None
    queued += _queue_external_certificates()
    return queued


def _queue_external_certificates() -> int:
    """The link of every valid external participant's certificate not yet mailed (one issued when
    the office printed the event's certificates rather than by marking her attended)."""
    known = set(OutboxMessage.objects.filter(kind=EXTERNAL_CERTIFICATE).values_list("key", flat=True))
    certificates = EventCertificate.objects.filter(
        external_participant__attended=True, revoked_at__isnull=True
    ).select_related("external_participant__event")
    return sum(
        queue_external_certificate(certificate) is not None
        for certificate in certificates
        if _external_certificate_key(certificate) not in known
    )


def _external_certificate_key(certificate):
    return f"external_certificate:{certificate.pk}"


def queue_external_certificate(certificate):
    """Her certificate's secret download link, to an external participant: once per certificate."""
    external = certificate.external_participant
    return outbox_queue(
        kind=EXTERNAL_CERTIFICATE,
        key=_external_certificate_key(certificate),
        recipient=external.email,
        template="external_certificate",
        context={
            "external": external,
            "event": external.event,
            "certificate": certificate,
            "url": absolute_url(reverse("events:external_certificate", args=[certificate.token])),
        },
    )


def queue_certificates_link(teacher, *, again_at=None):
    """The signed link to a dismissed teacher's certificates page: once per dismissal date, and
    once more for each time the office sends it again (`again_at`, when it did)."""
    key = f"certificates_link:{teacher.pk}:{teacher.dismissal_date.isoformat()}"
    if again_at is not None:
        key += f":again:{again_at.timestamp()}"
    return outbox_queue(
        kind=CERTIFICATES_LINK,
        key=key,
        recipient=teacher.mail_address,
        template="certificates_link",
        context={
            "teacher": teacher,
            "url": absolute_url(
                reverse("events:teacher_certificates", args=[certificates_link_token(teacher)])
            ),
        },
    )


def queue_reminder(participation):
    event = participation.event
    return outbox_queue(
        kind=REMINDER,
        key=f"reminder:{participation.pk}:{timezone.localdate(event.start).isoformat()}",
        recipient=participation.teacher.mail_address,
        template="reminder",
        context={"event": event, "url": absolute_url(reverse("events:my"))},
    )


def queue_sharing_due(participation):
    return outbox_queue(
        kind=SHARING_DUE,
        key=f"sharing_due:{participation.pk}:{participation.sharing_due.isoformat()}",
        recipient=participation.teacher.mail_address,
        template="sharing_due",
        context={
            "event": participation.event,
            "participation": participation,
            "url": absolute_url(reverse("events:sharing", args=[participation.pk])),
        },
    )


def queue_recommendation(participation):
    event = participation.event
    return outbox_queue(
        kind=RECOMMENDATION,
        key=f"recommendation:{participation.pk}:{participation.recommended_at.timestamp()}",
        recipient=participation.teacher.mail_address,
        template="recommendation",
        context={
            "event": event,
            "participation": participation,
            "url": absolute_url(reverse("events:detail", args=[event.pk])),
        },
    )


def queue_place_freed(participation):
    event = participation.event
    return outbox_queue(
        kind=PLACE_FREED,
        key=f"place_freed:{participation.pk}:{participation.status_changed_at.timestamp()}",
        recipient=participation.teacher.mail_address,
        template="place_freed",
        context={"event": event, "url": absolute_url(reverse("events:detail", args=[event.pk]))},
    )


def queue_registration_confirmed(external: ExternalParticipant):
    return outbox_queue(
        kind=REGISTRATION,
        key=f"registration:{external.pk}",
        recipient=external.email,
        template="registration_confirmed",
        context={"event": external.event, "external": external},
    )


def plan_recipients(*, on: datetime.date):
    """Teachers the monthly plan goes to: on the books on that date, in a pedagogical post, with an
    address (hers or her account's), not opted out."""
    return (
        Employee.objects.current(on=on)
        .filter(position__in=PEDAGOGICAL_POSITIONS, plan_mail_opt_out=False)
        .filter(~Q(email="") | (Q(user__isnull=False) & ~Q(user__email="")))
        .select_related("user")
    )


def queue_monthly_plans(*, now=None) -> int:
    """Queue the plan of every published month not yet over to each of plan_recipients of its
    kindergarten who has not had it: the kindergarten's events of the month (cancelled left out) and
    her own recommendations among them. Returns how many mails were queued. A constant number of
    queries per published month.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    plans = PublishedPlan.objects.filter(Q(year__gt=today.year) | Q(year=today.year, month__gte=today.month))
    queued = 0
    for plan in plans:
        # A kindergarten's plan goes to its teachers, with its events: read in its scope.
        with scope(**{KINDERGARTEN: [plan.organization_id]}):
            queued += _queue_monthly_plan(plan, today=today)
    return queued


def _queue_monthly_plan(plan, *, today) -> int:
    """Queue one kindergarten's plan (in its scope) to its teachers; returns how many were queued."""
    queued = 0
    prefix = f"monthly_plan:{plan.year}-{plan.month:02d}:"
    known = set(OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True))
    teachers = [t for t in plan_recipients(on=today) if f"{prefix}{t.pk}" not in known]
    if not teachers:
        return 0
    events = [
        event
        for event in events_of_month(year=plan.year, month=plan.month)
        if event.status != EventStatus.CANCELLED
    ]
    recommended = {}
    for participation in (
        Participation.objects.filter(event__in=[e.pk for e in events], teacher__in=teachers)
        .exclude(recommendation_reason="")
        .order_by("event__start", "pk")
    ):
        recommended.setdefault(participation.teacher_id, []).append(participation)
    by_pk = {event.pk: event for event in events}
    for teacher in teachers:
        mine = recommended.get(teacher.pk, [])
        for participation in mine:
            participation.event = by_pk[participation.event_id]
        message = outbox_queue(
            kind=MONTHLY_PLAN,
            key=f"{prefix}{teacher.pk}",
            recipient=teacher.mail_address,
            template="monthly_plan",
            context={
                "plan": plan,
                "month": plan.first_day,
                "teacher": teacher,
                "events": events,
                "recommendations": mine,
                "plan_url": absolute_url(
                    reverse("events:month", kwargs={"year": plan.year, "month": plan.month})
                ),
                "my_page_url": absolute_url(reverse("staff:my_contacts_edit")),
            },
        )
        queued += message is not None
    return queued
