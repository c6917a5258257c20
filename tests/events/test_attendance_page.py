"""The event's attendance page in the admin: everyone on the list with a tick, walk-ins found by name,
one save that marks attendance and absence and issues the certificates, all or nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from events.models import EventCertificate, Participation, ParticipationRole, ParticipationStatus
from portfolios.models import EntryStatus, PortfolioEntry
from tests.events.factories import (
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    in_days,
    own_organization,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _held_event(**fields):
    fields.setdefault("organizer", OrganizationFactory(name="ИМЦ"))
    return EventFactory(start=in_days(-2), end=in_days(-2, hour=12), **fields)


def _url(event):
    return reverse("admin:events_event_attendance", args=[event.pk])


def _status(participation):
    participation.refresh_from_db()
    return participation.status


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_page_lists_everyone_on_the_list_with_those_attended_ticked(client, senior):
    event = _held_event()
    signed = ParticipationFactory(event=event, teacher=EmployeeFactory(surname="Белова"))
    came = ParticipationFactory(
        event=event, teacher=EmployeeFactory(surname="Аксёнова"), status=ParticipationStatus.ATTENDED
    )
    waiting = ParticipationFactory(
        event=event, teacher=EmployeeFactory(surname="Авдеева"), status=ParticipationStatus.WAITING
    )
    ParticipationFactory(
        event=event, teacher=EmployeeFactory(surname="Ушедшая"), status=ParticipationStatus.CANCELLED
    )
    client.force_login(senior)
    response = client.get(_url(event))
    content = response.content.decode()
    # Those holding a place by surname, then the waiting list under its own heading.
    assert [row.pk for row, _ticked, _apart in response.context["rows"]] == [came.pk, signed.pk, waiting.pk]
    assert [(ticked, apart) for _row, ticked, apart in response.context["rows"]] == [
        (True, False),
        (False, False),
        (False, True),
    ]
    assert f'value="{came.pk}" id="attended-{came.pk}" checked' in content
    assert f'value="{signed.pk}" id="attended-{signed.pk}">' in content
    assert "Не записаны: лист ожидания и получившие рекомендацию" in content
    assert 'class="attendance-not-signed-up"' in content
    assert "Ушедшая" not in content
    assert 'data-check-all="attended"' in content and "отметить всех" in content
    assert "admin-autocomplete" in content  # the admin's search-as-you-type widget for walk-ins


def test_the_event_page_offers_the_attendance_page_to_the_office_only(client, senior, head):
    event = _held_event()
    url = reverse("admin:events_event_change", args=[event.pk])
    client.force_login(senior)
    assert "Отметить посещаемость" in client.get(url).content.decode()
    client.force_login(head)
    assert "Отметить посещаемость" not in client.get(url).content.decode()


def test_one_save_marks_the_ticked_attended_the_unticked_absent_and_issues_certificates(client, senior):
    event = _held_event()
    rows = [ParticipationFactory(event=event) for _ in range(3)]
    was_attended = ParticipationFactory(event=event, status=ParticipationStatus.ATTENDED)
    waiting = ParticipationFactory(event=event, status=ParticipationStatus.WAITING)
    recommended = ParticipationFactory(event=event, status=ParticipationStatus.RECOMMENDED)
    client.force_login(senior)
    response = client.post(_url(event), {"attended": [rows[0].pk, rows[1].pk, waiting.pk]})
    assert response.status_code == 302 and response["Location"] == _url(event)
    assert [_status(p) for p in (*rows, was_attended, waiting, recommended)] == [
        ParticipationStatus.ATTENDED,
        ParticipationStatus.ATTENDED,
        ParticipationStatus.ABSENT,
        ParticipationStatus.ABSENT,  # unticked: attendance taken back
        ParticipationStatus.ATTENDED,  # came from the waiting list
        ParticipationStatus.RECOMMENDED,  # not signed up, not ticked: left as it was
    ]
    assert set(EventCertificate.objects.values_list("participation", flat=True)) == {
        rows[0].pk,
        rows[1].pk,
        waiting.pk,
    }
    assert _messages(response) == [
        "Отмечено посещение: 3 педагога. Отсутствовали: 2 педагога. Сертификатов к печати: 3."
    ]
    # The bulk write reaches the portfolios as a save does: an approved entry per attendance, the
    # one of the attendance taken back withdrawn.
    entries = PortfolioEntry.objects.filter(status=EntryStatus.APPROVED)
    assert PortfolioEntry.objects.get(source_id=was_attended.pk).status == EntryStatus.WITHDRAWN
    assert set(entries.values_list("source_id", flat=True)) == {
        rows[0].pk,
        rows[1].pk,
        waiting.pk,
    }
    page = client.get(_url(event)).content.decode()
    assert reverse("admin:events_event_certificates", args=[event.pk]) in page
    assert "Распечатать сертификаты (PDF)" in page


def test_attending_an_external_event_opens_the_sharing_follow_up_and_absence_drops_it(client, senior):
    event = _held_event()
    came, stayed_away = ParticipationFactory(event=event), ParticipationFactory(event=event)
    client.force_login(senior)
    client.post(_url(event), {"attended": [came.pk]})
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert came.sharing_due is not None and stayed_away.sharing_due is None
    client.post(_url(event), {"attended": []})
    came.refresh_from_db()
    assert (came.status, came.sharing_due) == (ParticipationStatus.ABSENT, None)


def test_an_own_event_has_no_sharing_follow_up(client, senior):
    event = _held_event(organizer=own_organization())
    came = ParticipationFactory(event=event)
    client.force_login(senior)
    client.post(_url(event), {"attended": [came.pk]})
    came.refresh_from_db()
    assert (came.status, came.sharing_due) == (ParticipationStatus.ATTENDED, None)


def test_walk_ins_found_by_name_are_added_and_marked_and_a_listed_one_keeps_her_role(client, senior):
    event = _held_event()
    speaker = ParticipationFactory(event=event, role=ParticipationRole.SPEAKER)
    walk_in = EmployeeFactory(surname="Пришедшая")
    client.force_login(senior)
    response = client.post(_url(event), {"attended": [], "walk_ins": [walk_in.pk, speaker.teacher_id]})
    assert response.status_code == 302
    added = Participation.objects.get(event=event, teacher=walk_in)
    assert (added.role, added.status) == (ParticipationRole.LISTENER, ParticipationStatus.ATTENDED)
    speaker.refresh_from_db()
    assert (speaker.role, speaker.status) == (ParticipationRole.SPEAKER, ParticipationStatus.ATTENDED)
    assert EventCertificate.objects.count() == 2
    assert _messages(response)[0].startswith("Отмечено посещение: 2 педагога.")


def test_a_cancelled_sign_up_found_by_name_is_marked_on_her_own_row(client, senior):
    event = _held_event()
    cancelled = ParticipationFactory(event=event, status=ParticipationStatus.CANCELLED)
    client.force_login(senior)
    client.post(_url(event), {"walk_ins": [cancelled.teacher_id]})
    assert _status(cancelled) == ParticipationStatus.ATTENDED
    assert Participation.objects.filter(event=event).count() == 1


def test_an_event_not_started_is_refused_whole_and_the_ticks_are_kept(client, senior):
    event = EventFactory(title="Семинар «Игра»", start=in_days(3))
    ticked, unticked = ParticipationFactory(event=event), ParticipationFactory(event=event)
    walk_in = EmployeeFactory()
    client.force_login(senior)
    response = client.post(_url(event), {"attended": [ticked.pk], "walk_ins": [walk_in.pk]})
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Посещение можно отметить только после начала мероприятия: Семинар «Игра»." in content
        or "Посещаемость можно отметить только после начала мероприятия: Семинар «Игра»." in content
    )
    assert "Ничего не сохранено" in content
    assert f'value="{ticked.pk}" id="attended-{ticked.pk}" checked' in content
    assert f'value="{unticked.pk}" id="attended-{unticked.pk}">' in content
    assert f'<option value="{walk_in.pk}" selected>' in content  # the walk-in stays chosen
    assert [_status(ticked), _status(unticked)] == [ParticipationStatus.SIGNED_UP] * 2
    assert not Participation.objects.filter(teacher=walk_in).exists()
    assert not EventCertificate.objects.exists()


def test_a_participation_of_another_event_cannot_be_ticked(client, senior):
    event = _held_event()
    other = ParticipationFactory(event=_held_event())
    mine = ParticipationFactory(event=event)
    client.force_login(senior)
    response = client.post(_url(event), {"attended": [other.pk, mine.pk]})
    assert response.status_code == 200
    assert [_status(other), _status(mine)] == [ParticipationStatus.SIGNED_UP] * 2


def test_head_may_not_open_or_save_the_page(client, head):
    event = _held_event()
    participation = ParticipationFactory(event=event)
    client.force_login(head)
    assert client.get(_url(event)).status_code == 403
    assert client.post(_url(event), {"attended": [participation.pk]}).status_code == 403
    assert _status(participation) == ParticipationStatus.SIGNED_UP


def test_a_missing_event_is_a_404(client, senior):
    client.force_login(senior)
    assert client.get(reverse("admin:events_event_attendance", args=[987654])).status_code == 404


QUERIES_GET = 6
QUERIES_POST = 36


def test_the_page_and_its_save_keep_a_constant_query_count(client, senior, django_assert_num_queries):
    event = _held_event()
    first = ParticipationFactory(event=event)
    client.force_login(senior)
    client.get(_url(event))
    with django_assert_num_queries(QUERIES_GET):
        client.get(_url(event))
    with django_assert_num_queries(QUERIES_POST):
        response = client.post(_url(event), {"attended": [first.pk]})
    assert _messages(response)[0].startswith("Отмечено посещение: 1 педагог.")

    many = _held_event()
    rows = [ParticipationFactory(event=many) for _ in range(12)]
    with django_assert_num_queries(QUERIES_GET):
        response = client.get(_url(many))
    assert len(response.context["rows"]) == 12
    with django_assert_num_queries(QUERIES_POST):
        response = client.post(_url(many), {"attended": [row.pk for row in rows]})
    assert _messages(response)[0].startswith("Отмечено посещение: 12 педагогов.")
    assert Participation.objects.filter(event=many, status=ParticipationStatus.ATTENDED).count() == 12
    assert EventCertificate.objects.filter(participation__event=many).count() == 12
