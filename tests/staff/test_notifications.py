"""Attestation reminders: to the teacher and the senior educators, 90 days ahead, on the day and
once a month while overdue, each once (staff/notifications.py, run by send_notifications)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.models import OutboxMessage
from staff.models import Category, Employee
from staff.notifications import queue_due_reminders
from tests.factories import (
    CategoryDecisionFactory,
    ConformityDecisionFactory,
    EmployeeFactory,
    TrainingFactory,
    UserFactory,
)
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def office(senior):
    """Three teachers, one due of each kind in spring 2028, and the senior educators."""
    UserFactory(username="senior2", email="", role=SENIOR_EDUCATOR)  # no address: not written to
    gone = UserFactory(username="senior3", email="gone@example.org", role=SENIOR_EDUCATOR)
    gone.is_active = False
    gone.save()
    legacy = EmployeeFactory(surname="Прежняя", email="legacy@example.org")
    CategoryDecisionFactory(employee=legacy, category=Category.HIGHEST, decision_date=D(2023, 8, 31))
    TrainingFactory(employee=legacy, start_date=D(2026, 8, 20), end_date=D(2026, 9, 1))
    conformity = EmployeeFactory(surname="Соответствует", email="conf@example.org", hire_date=D(2012, 9, 1))
    ConformityDecisionFactory(employee=conformity, decision_date=D(2023, 4, 20))
    TrainingFactory(employee=conformity, start_date=D(2026, 2, 1), end_date=D(2026, 2, 5))
    course = EmployeeFactory(surname="Курсовая", email="")  # no address: only the office is told
    CategoryDecisionFactory(employee=course, category=Category.FIRST, decision_date=D(2024, 3, 1))
    TrainingFactory(employee=course, start_date=D(2025, 6, 1), end_date=D(2025, 6, 10))
    # no course and no hire date on record: "due now" every day, nothing to remind of by date
    EmployeeFactory(surname="Безкурсов", email="none@example.org", hire_date=None)


def _sent():
    send_queued()
    lines = sorted((m.to[0], m.subject) for m in mail.outbox)
    mail.outbox.clear()
    return lines


def test_reminders_ahead_and_on_the_day_each_once(office):
    assert queue_due_reminders(today=D(2028, 1, 20)) == 0
    # conformity due 20.04.2028 (5 years after 20.04.2023): 90 days ahead is 21.01.2028
    assert queue_due_reminders(today=D(2028, 1, 21)) == 2
    assert _sent() == [
        ("conf@example.org", "Напоминание: аттестация на соответствие должности до 20.04.2028"),
        (
            "senior@example.org",
            "Напоминание (Соответствует М.И.): аттестация на соответствие должности до 20.04.2028",
        ),
    ]
    # the highest category of 31.08.2023 ends 31.08.2028: apply by 31.05.2028, 90 days from 02.03
    assert queue_due_reminders(today=D(2028, 3, 1)) == 0
    assert queue_due_reminders(today=D(2028, 3, 2)) == 2
    assert queue_due_reminders(today=D(2028, 3, 2)) == 0
    assert queue_due_reminders(today=D(2028, 3, 5)) == 0
    assert _sent() == [
        ("legacy@example.org", "Напоминание: заявление на аттестацию до 31.05.2028"),
        ("senior@example.org", "Напоминание (Прежняя М.И.): заявление на аттестацию до 31.05.2028"),
    ]
    # the course of 10.06.2025 is due 10.06.2028; she has no address, the senior educator is told
    assert queue_due_reminders(today=D(2028, 3, 12)) == 1
    assert _sent() == [
        ("senior@example.org", "Напоминание (Курсовая М.И.): курсы повышения квалификации до 10.06.2028"),
    ]
    assert queue_due_reminders(today=D(2028, 4, 19)) == 0
    assert queue_due_reminders(today=D(2028, 4, 20)) == 2
    assert queue_due_reminders(today=D(2028, 4, 21)) == 0
    assert _sent() == [
        ("conf@example.org", "Сегодня срок: аттестация на соответствие должности до 20.04.2028"),
        (
            "senior@example.org",
            "Сегодня срок (Соответствует М.И.): аттестация на соответствие должности до 20.04.2028",
        ),
    ]
    # overdue: the conformity of 20.04.2028 is written about once a month until it is resolved
    assert queue_due_reminders(today=D(2028, 5, 19)) == 0
    assert queue_due_reminders(today=D(2028, 5, 20)) == 2
    assert queue_due_reminders(today=D(2028, 5, 20)) == 0
    assert _sent() == [
        ("conf@example.org", "Срок прошёл: аттестация на соответствие должности до 20.04.2028"),
        (
            "senior@example.org",
            "Срок прошёл (Соответствует М.И.): аттестация на соответствие должности до 20.04.2028",
        ),
    ]
    assert queue_due_reminders(today=D(2028, 5, 31)) == 2
    assert queue_due_reminders(today=D(2028, 6, 10)) == 1
    assert queue_due_reminders(today=D(2028, 6, 10)) == 0
    assert len(_sent()) == 3
    assert queue_due_reminders(today=D(2028, 6, 20)) == 2  # the second month overdue
    ConformityDecisionFactory(
        employee=Employee.objects.get(surname="Соответствует"), decision_date=D(2028, 6, 25)
    )
    # resolved: nothing more of it; the application (31.05) and the course (10.06), a month late
    assert queue_due_reminders(today=D(2028, 7, 20)) == 3
    assert not OutboxMessage.objects.filter(key__contains=":conformity:2028-04-20:overdue3").exists()
    assert OutboxMessage.objects.count() == 17


def test_reminder_text_says_what_to_do_and_why(office):
    queue_due_reminders(today=D(2028, 3, 2))
    send_queued()
    teacher = next(m for m in mail.outbox if m.to == ["legacy@example.org"])
    assert "Ваша квалификационная категория действует до 31.08.2028" in teacher.body
    assert "Заявление на аттестацию нужно подать до 31.05.2028" in teacher.body
    assert "/staff/me/" in teacher.body
    office_mail = next(m for m in mail.outbox if m.body.startswith("Прежняя Мария Ивановна, воспитатель."))
    assert office_mail.to == ["senior@example.org"]
    assert "заявление на аттестацию подать до 31.05.2028" in office_mail.body
    assert "/admin/staff/employee/attestation-calendar/" in office_mail.body


def _day_keys():
    return sorted(OutboxMessage.objects.filter(key__contains=":day:").values_list("key", flat=True))


def test_a_missed_day_is_caught_up_as_overdue_then_monthly(office, senior):
    queue_due_reminders(today=D(2028, 4, 26))  # 20.04 passed 6 days ago: the day's mail, saying so
    pk = Employee.objects.get(surname="Соответствует").pk
    assert _day_keys() == [
        f"attestation:{pk}:conformity:2028-04-20:day:senior{senior.pk}",
        f"attestation:{pk}:conformity:2028-04-20:day:teacher",
    ]
    send_queued()
    late = next(m for m in mail.outbox if m.to == ["conf@example.org"])
    assert late.subject == "Срок прошёл: аттестация на соответствие должности до 20.04.2028"
    assert "Срок аттестации на соответствие занимаемой должности прошёл 20.04.2028" in late.body
    assert queue_due_reminders(today=D(2028, 5, 19)) == 0  # the same month of lateness
    # two months late, once (with the application of 31.05, a month late, and the course of 10.06)
    assert queue_due_reminders(today=D(2028, 7, 1)) == 5
    assert sorted(
        OutboxMessage.objects.filter(key__contains=":conformity:2028-04-20:overdue").values_list(
            "key", flat=True
        )
    ) == [
        f"attestation:{pk}:conformity:2028-04-20:overdue2:senior{senior.pk}",
        f"attestation:{pk}:conformity:2028-04-20:overdue2:teacher",
    ]


def test_setting_moves_the_ahead_reminder(office, settings):
    settings.ATTESTATION_REMINDER_DAYS = 30
    assert queue_due_reminders(today=D(2028, 3, 1)) == 0
    assert queue_due_reminders(today=D(2028, 3, 21)) == 2  # 30 days before 20.04.2028


def test_the_cron_command_sends_an_attestation_reminder_once(senior):
    today = datetime.date.today()
    # a conformity decision 5 years before a day 10 days from now
    due = today + datetime.timedelta(days=10)
    decided = due.replace(year=due.year - 5, day=min(due.day, 28))
    teacher = EmployeeFactory(email="conf@example.org", hire_date=D(2012, 9, 1))
    ConformityDecisionFactory(employee=teacher, decision_date=decided)
    TrainingFactory(employee=teacher, start_date=today, end_date=today)
    for _run in range(2):
        call_command("send_notifications", stdout=io.StringIO())
        call_command("send_mail_queue", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["conf@example.org", "senior@example.org"]
