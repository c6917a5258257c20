"""The e-mail outbox: queue a notice once, send it at most once, collect what is due by date.

Every notice is a Notification row with a unique `key`, so queueing the same notice again is a
no-op; delivery claims the row (sets `sent_at`) before sending, so two overlapping runs of
`send_notifications` never send the same notice twice.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import (
    EventStatus,
    ExternalParticipant,
    Notification,
    NotificationKind,
    Participation,
    ParticipationStatus,
    RecommendationReason,
)

logger = logging.getLogger(__name__)

# How many days before the experience-sharing due date the teacher is reminded.
SHARING_REMINDER_DAYS = 7


def teacher_email(employee):
    """The address a teacher is written to: her staff record's e-mail, else her account's."""
    if employee.email:
        return employee.email
    user = employee.user if employee.user_id else None
    return user.email if user is not None else ""


def absolute_url(path):
    """A link for an e-mail: PORTAL_BASE_URL (e.g. https://portal.example.org) makes it absolute."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _local(moment):
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def notification_queue(
    *, kind, key, recipient, subject, body, participation=None, external_participant=None
) -> Notification | None:
    """Queue one notice (idempotent by `key`) and try to send it once the transaction commits.

    Returns the Notification, or None when there is no address to write to.
    """
    if not recipient:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "subject": subject[:255],
            "body": body,
            "participation": participation,
            "external_participant": external_participant,
        },
    )
    if created:
        transaction.on_commit(lambda: notification_deliver(notification=notification))
    return notification


def notification_deliver(*, notification) -> bool:
    """Send one queued notice unless it was already sent (or claimed by a parallel run).

    Returns True if this call sent it. A failed send is released for the next run, with the error kept.
    """
    claimed = Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), error=""
    )
    if not claimed:
        return False
    try:
        send_mail(notification.subject, notification.body, None, [notification.recipient])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("notification %s not sent: %s", notification.pk, exc)
        Notification.objects.filter(pk=notification.pk).update(sent_at=None, error=str(exc))
        return False
    return True


def notifications_send_pending() -> int:
    """Send every queued notice not yet sent; returns how many were sent."""
    sent = 0
    for notification in Notification.objects.filter(sent_at__isnull=True).order_by("pk"):
        sent += notification_deliver(notification=notification)
    return sent


def notifications_collect_due(*, now=None) -> int:
    """Queue the date-driven notices: tomorrow's reminders and experience sharing coming due.

    Returns how many new notices were queued (ones queued before are not counted again).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    tomorrow = today + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    day_start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    day_end = day_start + datetime.timedelta(days=1)
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        reminders = Participation.objects.filter(
            status=ParticipationStatus.SIGNED_UP,
            event__status=EventStatus.PLANNED,
            event__start__gte=day_start,
            event__start__lt=day_end,
        ).select_related("event", "teacher__user")
        for participation in reminders:
            queued += _queue_reminder(participation) is not None
        sharing = Participation.objects.filter(
            sharing_due__isnull=False,
            sharing_done__isnull=True,
            sharing_due__lte=today + datetime.timedelta(days=SHARING_REMINDER_DAYS),
        ).select_related("event", "teacher__user")
        for participation in sharing:
            queued += _queue_sharing_due(participation) is not None
    return queued


def _queue_new(**kwargs):
    """Queue and return the notification only if it is new (for counting)."""
    if Notification.objects.filter(key=kwargs["key"]).exists():
        return None
    return notification_queue(**kwargs)


def _queue_reminder(participation):
    event = participation.event
    body = _(
        "Reminder: tomorrow, %(start)s, you take part in «%(title)s».\nPlace: %(place)s\n\n"
        "Your events: %(url)s"
    ) % {
        "start": _local(event.start),
        "title": event.title,
        "place": event.place or event.online_link or "—",
        "url": absolute_url(reverse("events:my")),
    }
    return _queue_new(
        kind=NotificationKind.REMINDER,
        key=f"reminder:{participation.pk}:{timezone.localdate(event.start).isoformat()}",
        recipient=teacher_email(participation.teacher),
        subject=_("Tomorrow: %(title)s") % {"title": event.title},
        body=body,
        participation=participation,
    )


def _queue_sharing_due(participation):
    event = participation.event
    body = _(
        "Please share with your colleagues what you learned at «%(title)s» by %(due)s, "
        "then mark the follow-up done on the portal: %(url)s"
    ) % {
        "title": event.title,
        "due": participation.sharing_due.strftime("%d.%m.%Y"),
        "url": absolute_url(reverse("events:sharing", args=[participation.pk])),
    }
    return _queue_new(
        kind=NotificationKind.SHARING_DUE,
        key=f"sharing_due:{participation.pk}:{participation.sharing_due.isoformat()}",
        recipient=teacher_email(participation.teacher),
        subject=_("Experience sharing due: %(title)s") % {"title": event.title},
        body=body,
        participation=participation,
    )


def queue_recommendation(participation):
    event = participation.event
    with translation.override(settings.LANGUAGE_CODE):
        reason = participation.get_recommendation_reason_display()
        if participation.recommendation_reason == RecommendationReason.DIFFICULTY:
            reason = f"{reason}: {participation.get_recommendation_area_display()}"
        body = _(
            "The methodological office recommends you the event «%(title)s» (%(start)s).\n"
            "Reason: %(reason)s\n%(comment)s\n\nSign up here: %(url)s"
        ) % {
            "title": event.title,
            "start": _local(event.start),
            "reason": reason,
            "comment": participation.recommendation_comment,
            "url": absolute_url(reverse("events:detail", args=[event.pk])),
        }
        return notification_queue(
            kind=NotificationKind.RECOMMENDATION,
            key=f"recommendation:{participation.pk}:{participation.recommended_at.timestamp()}",
            recipient=teacher_email(participation.teacher),
            subject=_("Recommended event: %(title)s") % {"title": event.title},
            body=body,
            participation=participation,
        )


def queue_place_freed(participation):
    event = participation.event
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "A place has been freed at «%(title)s» (%(start)s) and it is yours: you are signed up.\n"
            "If you cannot come, please cancel before the deadline: %(url)s"
        ) % {
            "title": event.title,
            "start": _local(event.start),
            "url": absolute_url(reverse("events:detail", args=[event.pk])),
        }
        return notification_queue(
            kind=NotificationKind.PLACE_FREED,
            key=f"place_freed:{participation.pk}:{participation.status_changed_at.timestamp()}",
            recipient=teacher_email(participation.teacher),
            subject=_("A place is yours: %(title)s") % {"title": event.title},
            body=body,
            participation=participation,
        )


def queue_registration_confirmed(external: ExternalParticipant):
    event = external.event
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Dear %(name)s,\n\nyou are registered for «%(title)s».\nWhen: %(start)s\nPlace: %(place)s\n\n"
            "See you there!"
        ) % {
            "name": external.full_name,
            "title": event.title,
            "start": _local(event.start),
            "place": event.place or event.online_link or "—",
        }
        return notification_queue(
            kind=NotificationKind.REGISTRATION,
            key=f"registration:{external.pk}",
            recipient=external.email,
            subject=_("Registration confirmed: %(title)s") % {"title": event.title},
            body=body,
            external_participant=external,
        )
