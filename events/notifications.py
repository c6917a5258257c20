"""The events' e-mails, queued in the portal's outbox (kindergarten_portal/outbox.py).

The services queue a recommendation, a place freed from the waiting list and a registration when
they happen; `notifications_collect_due` (run by `send_notifications`) queues the date-driven ones.
Each key names what the mail is about, so it is queued once however often this runs. The wording is
in templates/emails/<name>.txt and <name>_subject.txt.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from kindergarten_portal.outbox import absolute_url, outbox_queue

from .models import EventStatus, ExternalParticipant, Participation, ParticipationStatus

# The outbox kinds of the events' mails.
REMINDER = "events.reminder"
SHARING_DUE = "events.sharing_due"
RECOMMENDATION = "events.recommendation"
PLACE_FREED = "events.place_freed"
REGISTRATION = "events.registration"

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
    return queued


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
