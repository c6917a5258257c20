"""The portal's one e-mail outbox: every app queues its messages here; only the sender sends them.

A message is rendered from a template pair, `templates/emails/<name>_subject.txt` (one line) and
`templates/emails/<name>.txt` (the text), in the portal's language (settings.LANGUAGE_CODE), so its
wording lives in one file. Each message has a unique `key`: queueing the same one again is a no-op.

No request sends mail: `outbox_send_due()` (the `send_mail_queue` command, from cron every minute
or as a long-running `--loop` worker) claims one due message at a time with a row lock that
parallel senders skip, sends it, and marks it sent only after the mail server took it, in the same
transaction. A crash in between leaves it queued (sent again rather than lost); a refused send
keeps it queued with its error and a later `next_attempt_at` (RETRY_MINUTES), and after
OUTBOX_MAX_ATTEMPTS refusals it is marked failed for the office to see in the admin.

A set-password link is never stored usable: the body holds SET_PASSWORD_TOKEN where the token
goes and `link_user_id` names the account; the sender makes the token when it sends.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kindergarten_portal.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, … refused send; the last one repeats.
RETRY_MINUTES = [1, 5, 30, 120, 360, 720, 1440]

# Stands in the stored body where the set-password token goes (it is no valid token).
SET_PASSWORD_TOKEN = "link-made-when-sent"

PASSWORD_RESET = "accounts.password_reset"

# What the admin shows for each app's kind of message.
KIND_LABELS = {
    "events.reminder": _("event reminder"),
    "events.sharing_due": _("experience sharing due"),
    "events.recommendation": _("event recommendation"),
    "events.place_freed": _("place freed on an event"),
    "events.registration": _("registration confirmed"),
    "events.monthly_plan": _("monthly plan"),
    "events.external_certificate": _("certificate of an external participant"),
    "events.certificates_link": _("link to a dismissed teacher's certificates"),
    "staff.attestation_reminder": _("attestation reminder"),
    "staff.account_created": _("new account"),
    "staff.account_linked": _("account linked to a new kindergarten"),
    "kindergarten_portal.kindergarten_created": _("new kindergarten's senior educator"),
    "staff.results_name_consent_notice": _("names in event results need consent"),
    "portfolios.entry_approved": _("portfolio entry approved"),
    "portfolios.entry_returned": _("portfolio entry returned"),
    PASSWORD_RESET: _("password reset"),
}


def absolute_url(path):
    """A link for an e-mail: PORTAL_BASE_URL (e.g. https://portal.example.org) makes it absolute."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def set_password_path(user):
    """The path of `user`'s set-password page with SET_PASSWORD_TOKEN for the token; queue it with
    `set_password_for=user` and the sender puts in a valid token."""
    return reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": SET_PASSWORD_TOKEN},
    )


def outbox_render(*, template, context) -> tuple[str, str]:
    """The (subject, body) of the template pair emails/<template>, in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}.txt", context)
    # A subject is one line, whatever the template's line breaks.
    return " ".join(subject.split()), body.strip() + "\n"


def outbox_queue(*, kind, key, recipient, template, context, set_password_for=None) -> OutboxMessage | None:
    """Queue one message for the sender.

    Returns the new message; None when a message with this `key` was queued before (nothing is
    queued again) or there is no address to write to. With `set_password_for` (a user), the body
    must hold a link made by `set_password_path(user)`: the sender completes it when it sends.
    """
    if not recipient or OutboxMessage.objects.filter(key=key).exists():
        return None
    subject, body = outbox_render(template=template, context=context)
    if set_password_for is not None and SET_PASSWORD_TOKEN not in body:
        raise ValueError(f"The {template} e-mail has no set_password_path() link in its text.")
    try:
        # A savepoint, so a parallel insert of the same key leaves the caller's transaction usable.
        with transaction.atomic():
            return OutboxMessage.objects.create(
                kind=kind,
                key=key,
                recipient=recipient,
                subject=subject[:255],
                body=body,
                link_user_id=set_password_for.pk if set_password_for is not None else None,
            )
    except IntegrityError:
        return None


def outbox_queue_again(*, messages) -> int:
    """Queue the given messages that were not sent (given up or waiting) for the sender's next run,
    with their attempts counted afresh; returns how many."""
    return messages.exclude(status=OutboxStatus.SENT).update(
        status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )


@dataclasses.dataclass
class SendResult:
    sent: int = 0
    failed: int = 0  # given up after OUTBOX_MAX_ATTEMPTS
    retry: int = 0  # refused this time, queued for a later attempt


def outbox_send_due() -> SendResult:
    """Send every queued message whose next attempt is due, one at a time; returns the counts.

    Safe to run in several processes at once: each message is claimed with a row lock the others
    skip (on PostgreSQL; SQLite lets one writer at a time anyway)."""
    result = SendResult()
    connection = get_connection()  # one SMTP session for the whole run
    try:
        while True:
            with transaction.atomic():
                message = (
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=timezone.now())
                    .order_by("next_attempt_at", "pk")
                    .first()
                )
                if message is None:
                    return result
                outcome = _send(message, connection)
                setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        connection.close()


def _send(message, connection) -> str:
    """Send one claimed message and record the outcome: "sent", "retry" or "failed"."""
    try:
        body = _with_set_password_link(message)
        EmailMessage(message.subject, body, None, [message.recipient], connection=connection).send()
    except AccountGone as exc:
        return _record_refusal(message, exc, give_up=True)
    except Exception as exc:  # whatever went wrong, this message waits and the others go on
        logger.warning("e-mail %s (%s) not sent: %s", message.pk, message.kind, exc)
        connection.close()  # a broken session is opened anew for the next message
        return _record_refusal(message, exc)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", attempts=F("attempts") + 1
    )
    return "sent"


def _record_refusal(message, exc, *, give_up=False) -> str:
    attempts = message.attempts + 1
    given_up = give_up or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED if given_up else OutboxStatus.QUEUED,
        attempts=attempts,
        last_error=str(exc) or type(exc).__name__,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=delay),
    )
    return "failed" if given_up else "retry"


class AccountGone(Exception):
    """The account of a set-password link was deleted or deactivated: the message is not sent."""


def _with_set_password_link(message):
    """The body to send: with a fresh set-password token for the message's account, if it has one."""
    if message.link_user_id is None:
        return message.body
    user = get_user_model().objects.filter(pk=message.link_user_id, is_active=True).first()
    if user is None:
        raise AccountGone("The account of this set-password link no longer exists or is inactive.")
    return message.body.replace(SET_PASSWORD_TOKEN, default_token_generator.make_token(user))
