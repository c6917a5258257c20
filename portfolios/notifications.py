"""E-mails to teachers about their reviewed entries, queued in the portal's outbox.

Approving or returning an entry records a StatusChange with `notify=True`; `queue_due` (run by
`send_notifications`) turns each such change into one outbox message and stamps `notified_at`, so
it is queued once however often it runs. The outbox sends it (templates/emails/entry_approved.txt,
entry_returned.txt).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kindergarten_portal.mail.outbox import absolute_url, outbox_queue

from .models import EntryStatus, StatusChange

# The outbox kinds of the portfolios' mails.
ENTRY_APPROVED = "portfolios.entry_approved"
ENTRY_RETURNED = "portfolios.entry_returned"


def queue_due(*, now=None) -> int:
    """Queue a mail for every approval or return not yet told to the teacher; returns how many."""
    now = now or timezone.now()
    queued = 0
    due = StatusChange.objects.filter(notify=True, notified_at__isnull=True).select_related(
        "entry__teacher__user"
    )
    for change in due:
        # The key makes a parallel run's second queueing a no-op. No address on record: marked as
        # handled, nobody to tell.
        with transaction.atomic():
            queued += _queue(change) is not None
            StatusChange.objects.filter(pk=change.pk).update(notified_at=now)
    return queued


def _queue(change):
    entry = change.entry
    approved = change.to_status == EntryStatus.APPROVED
    return outbox_queue(
        kind=ENTRY_APPROVED if approved else ENTRY_RETURNED,
        key=f"entry_status:{change.pk}",
        recipient=entry.teacher.mail_address,
        template="entry_approved" if approved else "entry_returned",
        context={
            "entry": entry,
            "comment": change.comment,
            "url": absolute_url(reverse("portfolios:entry_detail", args=[entry.pk])),
        },
    )
