"""Sign-in lockout (django-axes) by the pair (account, address), and by the account alone.

Axes counts wrong passwords per account and address: a guesser at one address is stopped, while a
colleague behind the kindergarten's one address (NAT) still signs in. Guesses spread over many
addresses would never meet that limit, so the account alone is locked too, at a higher limit
(LOGIN_ACCOUNT_FAILURE_LIMIT) within the same cool-off. Axes' documented extension point is its
handler (AXES_HANDLER): this one adds the second rule to the database handler's own.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def account_failures(username: str, *, request=None) -> int:
    """Wrong passwords for this account from every address within the cool-off."""
    since = timezone.now() - get_cool_off(request)
    return (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )


class AccountAndAddressHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        return (
            bool(username)
            and account_failures(username, request=request) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
        )
