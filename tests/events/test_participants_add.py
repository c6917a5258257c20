"""Attendance by name: the senior educator adds walk-ins to an event, several teachers at once with
their role, chosen in the admin's search-as-you-type field; attendance reaches portfolios as usual."""

import pytest
from django.urls import reverse

from events.models import Participation, ParticipationRole, ParticipationStatus
from events.services import participants_add
from portfolios.models import PortfolioEntry
from tests.events.factories import EventFactory, OrganizationFactory, in_days
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _held_event():
    return EventFactory(
        organizer=OrganizationFactory(name="ИМЦ"), start=in_days(-2), end=in_days(-2, hour=12)
    )


def test_the_admin_page_adds_several_teachers_with_their_role_and_marks_them(client, senior):
    event = _held_event()
    petrova = EmployeeFactory(surname="Петрова", name="Елена", patronymic="Сергеевна")
    semenova = EmployeeFactory(surname="Семёнова", name="Анна", patronymic="Павловна")
    client.force_login(senior)
    url = reverse("admin:events_event_participants_add", args=[event.pk])
    page = client.get(url).content.decode()
    assert "admin-autocomplete" in page  # the admin's search-as-you-type widget
    response = client.post(url, {"teachers": [petrova.pk, semenova.pk], "role": "speaker", "attended": "on"})
    assert response.status_code == 302
    rows = Participation.objects.filter(event=event).order_by("teacher__surname")
    assert [(p.teacher, p.role, p.status) for p in rows] == [
        (petrova, ParticipationRole.SPEAKER, ParticipationStatus.ATTENDED),
        (semenova, ParticipationRole.SPEAKER, ParticipationStatus.ATTENDED),
    ]
    # Through the events service: each attendance becomes an approved portfolio entry.
    assert PortfolioEntry.objects.filter(teacher__in=[petrova, semenova]).count() == 2


def test_the_autocomplete_finds_teachers_with_yo_or_e(client, senior):
    EmployeeFactory(surname="Семёнова", name="Анна")
    client.force_login(senior)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "participation", "field_name": "teacher", "term": "Семенова"},
    )
    (found,) = response.json()["results"]
    assert found["text"].startswith("Семёнова Анна")


def test_the_autocomplete_ignores_case(client, senior, requires_postgres):
    # SQLite (the demo's database) folds the case of Latin letters only.
    EmployeeFactory(surname="Семёнова", name="Анна")
    client.force_login(senior)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "participation", "field_name": "teacher", "term": "семенова"},
    )
    (found,) = response.json()["results"]
    assert found["text"].startswith("Семёнова Анна")


def test_marking_attendance_before_the_start_is_refused_and_adds_nobody(client, senior):
    event = EventFactory(start=in_days(5))
    teacher = EmployeeFactory()
    client.force_login(senior)
    url = reverse("admin:events_event_participants_add", args=[event.pk])
    response = client.post(url, {"teachers": [teacher.pk], "role": "listener", "attended": "on"})
    assert response.status_code == 200
    assert not Participation.objects.exists()


def test_someone_already_on_the_list_keeps_her_row_and_takes_the_role():
    event = _held_event()
    teacher = EmployeeFactory()
    Participation.objects.create(event=event, teacher=teacher, status=ParticipationStatus.SIGNED_UP)
    (row,) = participants_add(event=event, teachers=[teacher], role=ParticipationRole.JURY, attended=True)
    assert (row.role, row.status) == (ParticipationRole.JURY, ParticipationStatus.ATTENDED)
    assert Participation.objects.count() == 1


def test_head_cannot_add_participants(client, head):
    event = _held_event()
    client.force_login(head)
    url = reverse("admin:events_event_participants_add", args=[event.pk])
    assert client.post(url, {"teachers": [EmployeeFactory().pk], "role": "listener"}).status_code == 403
    assert not Participation.objects.exists()
