"""Mails about reviewed entries: queued once through the outbox, absolute links, and one refused
address does not stop the rest."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from kindergarten_portal.models import OutboxMessage
from portfolios.models import StatusChange
from portfolios.notifications import ENTRY_APPROVED, ENTRY_RETURNED, queue_due
from portfolios.services import entry_approve, entry_return
from staff.access import staff_record
from tests.outbox import send_queued
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
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    entry = entry_approve(entry=submitted_entry(staff_record(anna)), reviewer=senior)
    assert queue_due() == 1
    assert send_queued() == 1
    assert f"\nhttps://portal.example.org/portfolio/entries/{entry.pk}/" in mail.outbox[0].body


def test_decisions_are_worded_by_their_templates(anna, senior):
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    approved = entry_approve(
        entry=submitted_entry(staff_record(anna), title="Диплом «Педагог года»"), reviewer=senior
    )
    returned = entry_return(
        entry=submitted_entry(staff_record(anna), title="Сертификат"),
        reviewer=senior,
        comment="Скан нечитаем & мелкий",
    )
    assert queue_due() == 2
    yes = OutboxMessage.objects.get(kind=ENTRY_APPROVED)
    assert yes.subject == "Запись портфолио подтверждена: Диплом «Педагог года»"
    assert yes.body.startswith(
        "Ваша запись портфолио «Диплом „Педагог года“» подтверждена старшим воспитателем."
    )
    assert yes.key == f"entry_status:{StatusChange.objects.get(entry=approved, notify=True).pk}"
    no = OutboxMessage.objects.get(kind=ENTRY_RETURNED)
    assert no.subject == "Запись портфолио возвращена на доработку: Сертификат"
    assert "на доработку:\n\nСкан нечитаем & мелкий\n" in no.body
    assert no.key == f"entry_status:{StatusChange.objects.get(entry=returned, notify=True).pk}"


def test_a_decision_for_a_teacher_without_address_is_handled_and_nothing_queued(anna, senior):
    staff_record(anna).email = ""
    staff_record(anna).save()
    anna.email = ""
    anna.save()
    entry_approve(entry=submitted_entry(staff_record(anna)), reviewer=senior)
    assert queue_due() == 0
    assert not OutboxMessage.objects.exists()
    assert not StatusChange.objects.filter(notify=True, notified_at__isnull=True).exists()


def test_refused_recipient_is_left_for_retry_and_others_are_sent(anna, boris, senior, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    staff_record(anna).email = REFUSED
    staff_record(anna).save()
    staff_record(boris).email = "boris@sad.example"
    staff_record(boris).save()
    entry_approve(entry=submitted_entry(staff_record(anna), title="Грамота Анны"), reviewer=senior)
    entry_approve(entry=submitted_entry(staff_record(boris), title="Грамота Бориса"), reviewer=senior)

    assert queue_due() == 2
    assert send_queued() == 1
    assert [m.to for m in mail.outbox] == [["boris@sad.example"]]
    refused = OutboxMessage.objects.get(recipient=REFUSED)
    assert refused.sent_at is None and "No such user" in refused.last_error
    assert "No such user" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mailbox is back
    assert send_queued() == 0  # not before its retry is due
    OutboxMessage.objects.filter(pk=refused.pk).update(next_attempt_at=refused.created_at)
    assert queue_due() == 0
    assert send_queued() == 1
    assert [m.to for m in mail.outbox] == [["boris@sad.example"], [REFUSED]]
    assert send_queued() == 0
