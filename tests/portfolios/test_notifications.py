"""Mails about reviewed entries: absolute links, and one refused address does not stop the rest."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from portfolios.models import StatusChange
from portfolios.notifications import send_due
from portfolios.services import entry_approve
from tests.portfolios.factories import submitted_entry

REFUSED = "gone@sad.example"


class RefusingBackend(EmailBackend):
    """An SMTP server that refuses one mailbox (as a real one does for a deleted address)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)


def test_mail_links_are_absolute(anna, senior, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org/"
    anna.employee.email = "anna@sad.example"
    anna.employee.save()
    entry = entry_approve(entry=submitted_entry(anna.employee), reviewer=senior)
    assert send_due() == 1
    assert f"\nhttps://portal.example.org/portfolio/entries/{entry.pk}/" in mail.outbox[0].body


def test_refused_recipient_is_left_for_retry_and_others_are_sent(anna, boris, senior, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    anna.employee.email = REFUSED
    anna.employee.save()
    boris.employee.email = "boris@sad.example"
    boris.employee.save()
    refused = entry_approve(entry=submitted_entry(anna.employee, title="Грамота Анны"), reviewer=senior)
    delivered = entry_approve(entry=submitted_entry(boris.employee, title="Грамота Бориса"), reviewer=senior)

    assert send_due() == 1
    assert [m.to for m in mail.outbox] == [["boris@sad.example"]]
    assert StatusChange.objects.get(entry=delivered, notify=True).notified_at is not None
    assert StatusChange.objects.get(entry=refused, notify=True).notified_at is None
    assert "No such user" in caplog.text

    anna.employee.email = "anna@sad.example"  # the address is corrected: the next run sends it
    anna.employee.save()
    assert send_due() == 1
    assert [m.to for m in mail.outbox] == [["boris@sad.example"], ["anna@sad.example"]]
    assert send_due() == 0
