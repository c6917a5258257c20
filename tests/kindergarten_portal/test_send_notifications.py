"""The cron command: releases dismissed staff's places, queues what is due in every app for the
sender (send_mail_queue); run twice, it queues nothing twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from events.models import EventStatus, ParticipationStatus, RecommendationReason
from events.services import recommend
from kindergarten_portal.models import OutboxMessage, OutboxStatus
from portfolios.models import StatusChange
from portfolios.services import entry_approve
from staff.access import staff_record
from staff.models import Category, Employee
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.factories import CategoryDecisionFactory, EmployeeFactory
from tests.portfolios.factories import submitted_entry

pytestmark = pytest.mark.django_db


def _run():
    """send_notifications, then the sender, as the two cron lines run them."""
    # The staff here hold a category without an end date: no attestation is overdue, so no
    # attestation reminder joins the mails these tests count (tests/staff/test_notifications.py).
    for employee in Employee.objects.filter(category_decisions__isnull=True):
        CategoryDecisionFactory(
            employee=employee, category=Category.HIGHEST, decision_date=datetime.date(2024, 1, 10)
        )
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    call_command("send_mail_queue", stdout=out)
    return out.getvalue()


def test_send_notifications_twice_sends_each_mail_once(anna, senior):
    tomorrow = EventFactory(start=in_days(1), title="Завтрашний семинар")
    ParticipationFactory(event=tomorrow, teacher=EmployeeFactory(email="remind@example.org"))
    ParticipationFactory(
        event=tomorrow, teacher=EmployeeFactory(email="waits@example.org"), status=ParticipationStatus.WAITING
    )
    ParticipationFactory(
        event=EventFactory(start=in_days(5)), teacher=EmployeeFactory(email="later@example.org")
    )
    ParticipationFactory(
        event=EventFactory(start=in_days(-10), status=EventStatus.HELD, title="Гостиная в библиотеке"),
        teacher=EmployeeFactory(email="share@example.org"),
        status=ParticipationStatus.ATTENDED,
        sharing_due=timezone.localdate() + datetime.timedelta(days=3),
    )
    # queued by a service, sent by the sender's next run like the rest
    recommend(
        event=EventFactory(title="Мастер-класс"),
        teachers=[EmployeeFactory(email="rec@example.org")],
        reason=RecommendationReason.OPEN_EVENT,
        recommended_by=senior,
    )
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    entry_approve(entry=submitted_entry(staff_record(anna), title="Грамота ГМО"), reviewer=senior)

    with translation.override("en"):
        out = _run()
    # reminder, sharing, decision queued; the recommendation was queued by recommend() itself
    assert out == "E-mails queued: 3.\nE-mails sent: 4, given up: 0, left for a retry: 0.\n"
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == [
        ("anna@sad.example", "Запись портфолио подтверждена: Грамота ГМО"),
        ("rec@example.org", "Рекомендуемое мероприятие: Мастер-класс"),
        ("remind@example.org", "Завтра: Завтрашний семинар"),
        ("share@example.org", "Трансляция опыта: Гостиная в библиотеке"),
    ]
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()

    _run()
    _run()
    assert len(mail.outbox) == 4
    assert OutboxMessage.objects.count() == 4


def test_send_notifications_retries_a_failed_send_next_run(settings):
    ParticipationFactory(event=EventFactory(start=in_days(1)), teacher=EmployeeFactory(email="x@example.org"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens there
    _run()
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.status == OutboxStatus.QUEUED
    assert message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())  # its wait is over
    _run()
    message.refresh_from_db()
    assert message.sent_at is not None
    assert len(mail.outbox) == 1


def test_a_decision_not_yet_told_before_the_outbox_is_sent_once(anna, senior):
    """StatusChange rows still waiting when the outbox arrived are queued by the next run."""
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    told = entry_approve(entry=submitted_entry(staff_record(anna), title="Уже сообщено"), reviewer=senior)
    StatusChange.objects.filter(entry=told).update(notified_at=timezone.now())
    entry_approve(entry=submitted_entry(staff_record(anna), title="Ещё не сообщено"), reviewer=senior)
    _run()
    _run()
    assert [m.subject for m in mail.outbox] == ["Запись портфолио подтверждена: Ещё не сообщено"]


def test_send_notifications_releases_the_places_of_a_dismissal_whose_day_has_come():
    teacher = EmployeeFactory()
    event = EventFactory(capacity=1, start=in_days(6), title="Круглый стол")
    hers = ParticipationFactory(event=event, teacher=teacher)
    waiting = ParticipationFactory(
        event=event, status=ParticipationStatus.WAITING, teacher=EmployeeFactory(email="next@example.org")
    )
    teacher.dismissal_date = timezone.localdate() + datetime.timedelta(days=2)
    teacher.save()  # entered ahead of the day: nothing changes yet
    _run()
    hers.refresh_from_db()
    assert hers.status == ParticipationStatus.SIGNED_UP
    assert mail.outbox == []

    # the day comes (no save of her record happens then)
    Employee.objects.filter(pk=teacher.pk).update(dismissal_date=timezone.localdate())
    with translation.override("en"):
        out = _run()
    assert "Cancelled 1 participation of dismissed staff." in out
    assert "E-mails queued: 1." in out  # the place freed, told: what it queued, it counts
    hers.refresh_from_db()
    waiting.refresh_from_db()
    assert hers.status == ParticipationStatus.CANCELLED
    assert waiting.status == ParticipationStatus.SIGNED_UP
    assert [(m.to, m.subject) for m in mail.outbox] == [(["next@example.org"], "Место за вами: Круглый стол")]

    with translation.override("en"):
        out = _run()  # safe to run twice
    assert "dismissed" not in out
    assert "E-mails queued: 0." in out
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.count() == 1
