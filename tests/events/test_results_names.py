"""Names on public pages by consent (152-FZ art. 10.1): the published results name a teacher only
with her separate consent to it, and not once she is dismissed; otherwise her position and
kindergarten stand there. Withdrawing takes the name off at once, cached pages included."""

import datetime

import pytest
from django.urls import reverse

from events.models import EventStatus, ParticipationStatus
from staff.access import staff_record
from staff.models import Position
from staff.services import employee_results_name_consent
from tests.events.factories import EventFactory, ParticipationFactory, in_days

pytestmark = pytest.mark.django_db

UNNAMED = "воспитатель МБДОУ «Детский сад»"  # her position and the kindergarten (settings' default)


@pytest.fixture
def held(anna, boris):
    event = EventFactory(
        title="Семинар «Игра»",
        start=in_days(-5),
        status=EventStatus.HELD,
        results_published=True,
        results_text="Итоги семинара",
    )
    for user in (anna, boris):
        staff_record(user).position = Position.EDUCATOR
        staff_record(user).save(update_fields=["position"])
        ParticipationFactory(event=event, teacher=staff_record(user), status=ParticipationStatus.ATTENDED)
    return event


def _pages(client, event):
    return [
        client.get(reverse("events:results")).content.decode(),
        client.get(reverse("events:result_detail", args=[event.pk])).content.decode(),
    ]


def test_results_name_only_who_consented(client, anna, boris, held):
    employee_results_name_consent(employee=staff_record(anna), given=True)
    for content in _pages(client, held):
        assert staff_record(anna).full_name in content
        assert staff_record(boris).surname not in content  # no consent: no surname, no name
        assert UNNAMED in content


def test_withdrawn_consent_takes_the_name_off_at_once(client, anna, held):
    employee_results_name_consent(employee=staff_record(anna), given=True)
    assert all(staff_record(anna).full_name in content for content in _pages(client, held))  # now cached
    client.force_login(anna)
    page = client.get(reverse("events:my_results_name_consent")).content.decode()
    assert "версия 1" in page and "checked" in page
    response = client.post(reverse("events:my_results_name_consent"), {})  # the box unticked
    assert response.status_code == 302
    client.logout()
    for content in _pages(client, held):
        assert staff_record(anna).surname not in content
        assert content.count(UNNAMED) == 2  # anna and boris


def test_consent_given_on_her_page_names_her(client, anna, held):
    client.force_login(anna)
    assert "без имени" in client.get(reverse("staff:my_page")).content.decode()
    client.post(reverse("events:my_results_name_consent"), {"consent": "on"})
    staff_record(anna).refresh_from_db()
    assert staff_record(anna).results_name_consent_at is not None
    assert "указано ваше имя" in client.get(reverse("staff:my_page")).content.decode()
    client.logout()
    assert all(staff_record(anna).full_name in content for content in _pages(client, held))


def test_dismissed_teacher_is_not_named(client, anna, held):
    employee_results_name_consent(employee=staff_record(anna), given=True)
    staff_record(anna).dismissal_date = in_days(-1).date()
    staff_record(anna).save(update_fields=["dismissal_date"])
    for content in _pages(client, held):
        assert staff_record(anna).surname not in content


def test_name_is_public_rule():
    from staff.models import Employee

    on = datetime.date(2026, 12, 7)
    moment = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)
    cases = [
        (None, None, False),
        (moment, None, True),
        (moment, datetime.date(2026, 12, 8), True),  # still working
        (moment, datetime.date(2026, 12, 7), False),  # dismissed: off at once
        (None, datetime.date(2026, 12, 8), False),
    ]
    for consent_at, dismissal, public in cases:
        employee = Employee(results_name_consent_at=consent_at, dismissal_date=dismissal)
        assert employee.name_is_public(on) is public, (consent_at, dismissal)


def test_office_sees_who_is_not_named_before_publishing(client, senior, anna, boris, held):
    employee_results_name_consent(employee=staff_record(anna), given=True)
    client.force_login(senior)
    content = client.get(reverse("admin:events_event_change", args=[held.pk])).content.decode()
    assert "Указаны без имени:" in content
    assert (
        f"{staff_record(boris).short_name}: в опубликованных итогах вместо имени указаны должность" in content
    )
    assert f"{staff_record(anna).short_name}: " not in content
