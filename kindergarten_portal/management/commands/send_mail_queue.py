import time

from django.conf import settings
from django.db import close_old_connections
from django.utils.translation import gettext as _

from kindergarten_portal.mail.outbox import outbox_send_due
from kindergarten_portal.tenancy import CityWideCommand


class Command(CityWideCommand):
    help = (
        "Send the queued e-mails that are due; a refused one is retried later (after 1, 5, 30 minutes, "
        "2 hours, …) and given up after OUTBOX_MAX_ATTEMPTS. Run from cron every minute, or once with "
        "--loop as a long-running worker. Several runs at once never send a message twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Keep running, looking for due mail every OUTBOX_LOOP_SECONDS seconds.",
        )

    def handle(self, *args, loop=False, **options):
        if not loop:
            self.report(outbox_send_due())
            return
        try:
            while True:
                # A worker outlives database connections: drop any the server closed meanwhile.
                close_old_connections()
                result = outbox_send_due()
                if result.sent or result.failed or result.retry:
                    self.report(result)
                time.sleep(settings.OUTBOX_LOOP_SECONDS)
        except KeyboardInterrupt:
            pass

    def report(self, result):
        self.stdout.write(
            _("E-mails sent: %(sent)d, given up: %(failed)d, left for a retry: %(retry)d.")
            % {"sent": result.sent, "failed": result.failed, "retry": result.retry}
        )
