"""E-mails to teachers about their reviewed entries, sent by the portal's notification command.

Approving or returning an entry records a StatusChange with `notify=True`; `send_due` mails each
one once and stamps `notified_at`. Each mail is claimed and sent inside one transaction, so a
second run (or a parallel one) sends nothing twice; a mail the server refuses is logged, left
unclaimed for the next run, and does not stop the others.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.notifications import absolute_url, teacher_email

from .models import EntryStatus, StatusChange

logger = logging.getLogger(__name__)


def _message(change):
    entry = change.entry
    link = absolute_url(reverse("portfolios:entry_detail", args=[entry.pk]))
    if change.to_status == EntryStatus.APPROVED:
        subject = _("Portfolio entry approved: %(title)s") % {"title": entry.title}
        body = _("The senior educator approved your portfolio entry «%(title)s».") % {"title": entry.title}
    else:
        subject = _("Portfolio entry returned: %(title)s") % {"title": entry.title}
        body = _(
            "The senior educator returned your portfolio entry «%(title)s» for correction:\n\n%(comment)s"
        ) % {"title": entry.title, "comment": change.comment}
    return subject, f"{body}\n\n{link}"


def send_due(*, now=None) -> int:
    """Mail every approval or return not yet told to the teacher; returns how many mails were sent."""
    now = now or timezone.now()
    sent = 0
    due = StatusChange.objects.filter(notify=True, notified_at__isnull=True).values_list("pk", flat=True)
    for pk in list(due):
        try:
            with transaction.atomic():
                # Claim the row; if another run got it first, nothing matches and nothing is sent.
                claimed = StatusChange.objects.filter(pk=pk, notified_at__isnull=True).update(notified_at=now)
                if not claimed:
                    continue
                change = StatusChange.objects.select_related("entry__teacher__user").get(pk=pk)
                recipient = teacher_email(change.entry.teacher)
                if not recipient:
                    continue  # no address on record: marked as handled, nobody to tell
                with translation.override(settings.LANGUAGE_CODE):
                    subject, body = _message(change)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        except (smtplib.SMTPException, OSError) as exc:
            # Leaving the block by the exception undoes the claim: the next run tries again.
            logger.warning("portfolio status change %s not mailed: %s", pk, exc)
            continue
        sent += 1
    return sent
