from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.notifications import notifications_collect_due, notifications_send_pending
from events.services import participations_release_dismissed


class Command(BaseCommand):
    help = (
        "Release the places of staff whose dismissal date has come, queue due notices (tomorrow's "
        "reminders, experience sharing coming due) and send every unsent e-mail. Safe to run from "
        "cron every few minutes: nothing is sent twice."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        # A dismissal entered ahead of the day takes effect on the day; freed places are told below.
        released = participations_release_dismissed(now=now)
        queued = notifications_collect_due(now=now)
        sent = notifications_send_pending()
        # Higher apps (portfolios: entry approved or returned) register their senders in settings;
        # events cannot import them, but one cron line sends everything.
        for path in settings.NOTIFICATION_SENDERS:
            sent += import_string(path)(now=now)
        if released:
            self.stdout.write(
                ngettext(
                    "Cancelled %(count)d participation of dismissed staff.",
                    "Cancelled %(count)d participations of dismissed staff.",
                    released,
                )
                % {"count": released}
            )
        self.stdout.write(_("Queued %(queued)d, sent %(sent)d.") % {"queued": queued, "sent": sent})
