import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from events import notifications
from events.models import (
    EventStatus,
    Notification,
    NotificationKind,
    ParticipationStatus,
    RecommendationReason,
)
from events.services import recommend
from staff.models import Employee
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _run():
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


def test_send_notifications_twice_sends_nothing_twice(senior):
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
    ParticipationFactory(
        event=EventFactory(start=in_days(-20), status=EventStatus.HELD),
        teacher=EmployeeFactory(email="done@example.org"),
        status=ParticipationStatus.ATTENDED,
        sharing_due=timezone.localdate(),
        sharing_done=timezone.localdate(),
        sharing_account="уже",
    )
    # queued by a service; its on-commit delivery does not run inside the test transaction
    recommend(
        event=EventFactory(),
        teachers=[EmployeeFactory(email="rec@example.org")],
        reason=RecommendationReason.OPEN_EVENT,
        recommended_by=senior,
    )

    _run()
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [to for to, _subject in sent] == ["rec@example.org", "remind@example.org", "share@example.org"]
    assert any("Завтрашний семинар" in subject for _to, subject in sent)
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0

    _run()
    _run()
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


def test_teacher_without_staff_email_gets_it_at_her_account_address():
    user = UserFactory(username="olga", email="olga@example.org")
    teacher = EmployeeFactory(user=user, email="")
    ParticipationFactory(event=EventFactory(start=in_days(1)), teacher=teacher)
    _run()
    assert [m.to for m in mail.outbox] == [["olga@example.org"]]


def test_a_failed_send_is_retried_next_run(settings):
    ParticipationFactory(event=EventFactory(start=in_days(1)), teacher=EmployeeFactory(email="x@example.org"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens there
    _run()
    notice = Notification.objects.get()
    assert notice.sent_at is None
    assert notice.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _run()
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert len(mail.outbox) == 1


def test_deliver_claims_before_sending():
    ParticipationFactory(event=EventFactory(start=in_days(1)), teacher=EmployeeFactory(email="y@example.org"))
    notifications.notifications_collect_due()
    notice = Notification.objects.get(kind=NotificationKind.REMINDER)
    assert notifications.notification_deliver(notification=notice) is True
    assert notifications.notification_deliver(notification=notice) is False
    assert len(mail.outbox) == 1


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
    hers.refresh_from_db()
    waiting.refresh_from_db()
    assert hers.status == ParticipationStatus.CANCELLED
    assert waiting.status == ParticipationStatus.SIGNED_UP
    assert [(m.to, "Круглый стол" in m.subject) for m in mail.outbox] == [(["next@example.org"], True)]

    with translation.override("en"):
        out = _run()  # safe to run twice
    assert "dismissed" not in out
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
