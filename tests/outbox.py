"""Running the outbox's sender in a test, as cron runs `send_mail_queue`: no request sends mail."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from kindergarten_portal.mail.outbox import outbox_send_due


def send_queued() -> int:
    """Send every due queued message; how many went out."""
    return outbox_send_due().sent


class BrokenSMTPBackend(BaseEmailBackend):
    """A mail server that is down: every send fails the way smtplib fails."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
