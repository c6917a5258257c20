import datetime

import pytest
from django.utils import timezone

from events.models import Participation, ParticipationStatus
from events.notifications import PLACE_FREED
from kindergarten_portal.models import OutboxMessage
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _statuses():
    return dict(Participation.objects.values_list("pk", "status"))


def test_saving_a_dismissal_releases_her_places_to_the_waiting_list_once():
    teacher = EmployeeFactory()
    full = EventFactory(capacity=1, start=in_days(7), title="Мастер-класс")
    hers = ParticipationFactory(event=full, teacher=teacher)
    first = ParticipationFactory(
        event=full, status=ParticipationStatus.WAITING, teacher=EmployeeFactory(email="first@example.org")
    )
    first.status_changed_at = timezone.now() - datetime.timedelta(hours=1)
    first.save()
    second = ParticipationFactory(event=full, status=ParticipationStatus.WAITING)
    recommended = ParticipationFactory(
        event=EventFactory(start=in_days(9)), teacher=teacher, status=ParticipationStatus.RECOMMENDED
    )
    attended = ParticipationFactory(
        event=EventFactory(start=in_days(-9)), teacher=teacher, status=ParticipationStatus.ATTENDED
    )

    teacher.dismissal_date = timezone.localdate()
    teacher.save()

    assert _statuses() == {
        hers.pk: ParticipationStatus.CANCELLED,
        first.pk: ParticipationStatus.SIGNED_UP,
        second.pk: ParticipationStatus.WAITING,
        recommended.pk: ParticipationStatus.CANCELLED,
        attended.pk: ParticipationStatus.ATTENDED,
    }
    (notice,) = OutboxMessage.objects.filter(kind=PLACE_FREED)
    assert notice.recipient == "first@example.org"
    assert "Мастер-класс" in notice.body

    # saving her record again changes nothing
    before = list(Participation.objects.order_by("pk").values())
    teacher.phone = "+7 900 000-00-00"
    teacher.save()
    assert list(Participation.objects.order_by("pk").values()) == before
    assert OutboxMessage.objects.count() == 1


def test_a_dismissal_date_ahead_releases_nothing_yet():
    teacher = EmployeeFactory()
    participation = ParticipationFactory(event=EventFactory(start=in_days(30)), teacher=teacher)
    teacher.dismissal_date = timezone.localdate() + datetime.timedelta(days=14)
    teacher.save()
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SIGNED_UP
