from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.notifications import notifications_collect_due, queue_monthly_plans
from events.services import participations_release_dismissed
from kindergarten_portal.tenancy import CityWideCommand
from portfolios.notifications import queue_due as portfolio_decisions_queue_due
from staff.notifications import queue_due_reminders as attestation_queue_due_reminders


class Command(CityWideCommand):
    help = (
        "Release the places of staff whose dismissal date has come, queue due e-mails (tomorrow's "
        "reminders, experience sharing coming due, portfolio decisions, attestation reminders, a published "
        "monthly plan) for send_mail_queue to send. Safe to run from cron every few minutes: nothing is "
        "queued twice."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        # A dismissal entered ahead of the day takes effect on the day; freed places are told below.
        release = participations_release_dismissed(now=now)
        queued = (
            release.told
            + notifications_collect_due(now=now)
            + queue_monthly_plans(now=now)
            + portfolio_decisions_queue_due(now=now)
            + attestation_queue_due_reminders(today=timezone.localdate(now))
        )
        if release.cancelled:
            self.stdout.write(
                ngettext(
                    "Cancelled %(count)d participation of dismissed staff.",
                    "Cancelled %(count)d participations of dismissed staff.",
                    len(release.cancelled),
                )
                % {"count": len(release.cancelled)}
            )
        self.stdout.write(_("E-mails queued: %(queued)d.") % {"queued": queued})
