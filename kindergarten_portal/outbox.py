"""The portal's one e-mail outbox: every app queues its messages here; the cron command sends them.

A message is rendered from a template pair, `templates/emails/<name>_subject.txt` (one line) and
`templates/emails/<name>.txt` (the text), in the portal's language (settings.LANGUAGE_CODE), so its
wording lives in one file. Each message has a unique `key`: queueing the same one again is a no-op.
It is sent once the queueing transaction commits; delivery claims it first (sets `sent_at`), sends
outside any transaction, and releases the claim with the error if the mail server refuses, so the
next `send_notifications` run tries again and two overlapping runs never send it twice.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def absolute_url(path):
    """A link for an e-mail: PORTAL_BASE_URL (e.g. https://portal.example.org) makes it absolute."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def outbox_render(*, template, context) -> tuple[str, str]:
    """The (subject, body) of the template pair emails/<template>, in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}.txt", context)
    # A subject is one line, whatever the template's line breaks.
    return " ".join(subject.split()), body.strip() + "\n"


def outbox_queue(*, kind, key, recipient, template, context) -> OutboxMessage | None:
    """Queue one message and send it once the current transaction commits.

    Returns the new message; None when a message with this `key` was queued before (nothing is
    queued again) or there is no address to write to.
    """
    if not recipient or OutboxMessage.objects.filter(key=key).exists():
        return None
    subject, body = outbox_render(template=template, context=context)
    try:
        # A savepoint, so a parallel insert of the same key leaves the caller's transaction usable.
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind, key=key, recipient=recipient, subject=subject[:255], body=body
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: outbox_deliver(message=message))
    return message


def outbox_deliver(*, message) -> bool:
    """Send one message unless it was already sent (or claimed by a parallel run).

    Returns True if this call sent it. A refused send is released for the next run, with the error kept.
    """
    claimed = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), error="", attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    try:
        send_mail(message.subject, message.body, None, [message.recipient])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("e-mail %s (%s) not sent: %s", message.pk, message.kind, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None, error=str(exc))
        return False
    return True


def outbox_send_pending() -> int:
    """Send every queued message not yet sent; returns how many were sent."""
    sent = 0
    for message in OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk"):
        sent += outbox_deliver(message=message)
    return sent
