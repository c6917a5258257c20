from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from events.notifications import notifications_collect_due, notifications_send_pending


class Command(BaseCommand):
    help = (
        "Queue due notices (tomorrow's reminders, experience sharing coming due) and send every "
        "unsent e-mail. Safe to run from cron every few minutes: nothing is sent twice."
    )

    def handle(self, *args, **options):
        queued = notifications_collect_due()
        sent = notifications_send_pending()
        # Higher apps (portfolios: entry approved or returned) register their senders in settings;
        # events cannot import them, but one cron line sends everything.
        now = timezone.now()
        for path in settings.NOTIFICATION_SENDERS:
            sent += import_string(path)(now=now)
        self.stdout.write(_("Queued %(queued)d, sent %(sent)d.") % {"queued": queued, "sent": sent})
