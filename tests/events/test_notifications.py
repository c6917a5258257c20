"""The events' mails: what is due is queued once, at the right address, worded by its template."""

import datetime

import pytest
from django.utils import timezone

from events import notifications
from events.models import EventStatus, ParticipationStatus, RecommendationReason
from events.services import recommend
from kindergarten_portal.models import OutboxMessage
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 9, 12, 0))


def _local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_collect_due_queues_tomorrows_reminders_and_sharing_coming_due_once():
    tomorrow = EventFactory(
        start=_local(2026, 3, 10, 9, 30), title="Завтрашний семинар", place="ИМЦ, ауд. 12"
    )
    reminded = ParticipationFactory(event=tomorrow, teacher=EmployeeFactory(email="remind@example.org"))
    ParticipationFactory(
        event=tomorrow, teacher=EmployeeFactory(email="waits@example.org"), status=ParticipationStatus.WAITING
    )
    ParticipationFactory(event=EventFactory(start=_local(2026, 3, 14, 10)), teacher=EmployeeFactory())
    sharing = ParticipationFactory(
        event=EventFactory(
            start=_local(2026, 2, 27, 10), status=EventStatus.HELD, title="Гостиная в библиотеке"
        ),
        teacher=EmployeeFactory(email="share@example.org"),
        status=ParticipationStatus.ATTENDED,
        sharing_due=datetime.date(2026, 3, 12),
    )
    ParticipationFactory(
        event=EventFactory(start=_local(2026, 2, 17, 10), status=EventStatus.HELD),
        teacher=EmployeeFactory(email="done@example.org"),
        status=ParticipationStatus.ATTENDED,
        sharing_due=datetime.date(2026, 3, 9),
        sharing_done=datetime.date(2026, 3, 9),
        sharing_account="уже",
    )

    assert notifications.notifications_collect_due(now=NOW) == 2
    assert notifications.notifications_collect_due(now=NOW) == 0

    reminder = OutboxMessage.objects.get(kind=notifications.REMINDER)
    assert reminder.key == f"reminder:{reminded.pk}:2026-03-10"
    assert reminder.recipient == "remind@example.org"
    assert reminder.subject == "Завтра: Завтрашний семинар"
    assert reminder.body.startswith(
        "Напоминаем: завтра, 10.03.2026 09:30, вы участвуете в мероприятии «Завтрашний семинар».\n"
        "Место: ИМЦ, ауд. 12\n"
    )
    due = OutboxMessage.objects.get(kind=notifications.SHARING_DUE)
    assert due.key == f"sharing_due:{sharing.pk}:2026-03-12"
    assert due.subject == "Трансляция опыта: Гостиная в библиотеке"
    assert "до 12.03.2026 поделитесь с коллегами" in due.body
    assert f"/events/my/sharing/{sharing.pk}/" in due.body


def test_teacher_without_staff_email_is_written_at_her_account_address():
    user = UserFactory(username="olga", email="olga@example.org")
    teacher = EmployeeFactory(user=user, email="")
    ParticipationFactory(event=EventFactory(start=_local(2026, 3, 10, 10)), teacher=teacher)
    notifications.notifications_collect_due(now=NOW)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["olga@example.org"]


def test_teacher_without_any_address_gets_nothing_queued():
    ParticipationFactory(event=EventFactory(start=_local(2026, 3, 10, 10)), teacher=EmployeeFactory(email=""))
    assert notifications.notifications_collect_due(now=NOW) == 0
    assert not OutboxMessage.objects.exists()


def test_recommendation_names_the_reason_and_the_area_of_difficulty(senior):
    event = EventFactory(start=_local(2026, 4, 2, 14, 0), title="Речевое развитие: практикум")
    (participation,) = recommend(
        event=event,
        teachers=[EmployeeFactory(email="rec@example.org")],
        reason=RecommendationReason.DIFFICULTY,
        area="speech",
        comment="Посмотрите приёмы мнемотехники",
        recommended_by=senior,
    )
    message = OutboxMessage.objects.get(kind=notifications.RECOMMENDATION)
    assert message.subject == "Рекомендуемое мероприятие: Речевое развитие: практикум"
    assert "«Речевое развитие: практикум» (02.04.2026 14:00)" in message.body
    assert "\nПричина: затруднения в образовательной области: речевое развитие\n" in message.body
    assert "Посмотрите приёмы мнемотехники" in message.body
    assert f"/events/{event.pk}/" in message.body
    assert message.key == f"recommendation:{participation.pk}:{participation.recommended_at.timestamp()}"
