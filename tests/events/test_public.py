import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from events.models import EventStatus, ExternalParticipant, ParticipationStatus
from events.services import calendar_token_get
from events.views import REGISTRATION_LIMIT
from staff.access import staff_record
from staff.services import employee_results_name_consent
from tests.events.factories import EventFactory, ExternalParticipantFactory, ParticipationFactory, in_days
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _form(**overrides):
    data = {
        "full_name": "Петрова Мария Ивановна",
        "organization": "МБДОУ «Детский сад № 15»",
        "position": "воспитатель",
        "email": "petrova@example.org",
        "consent": "on",
    }
    return data | overrides


def test_open_list_shows_upcoming_open_events_only(client):
    EventFactory(title="Открытый показ", is_open=True)
    EventFactory(title="Внутренний семинар", is_open=False)
    EventFactory(title="Прошедший показ", is_open=True, start=in_days(-3))
    EventFactory(title="Черновик показа", is_open=True, status=EventStatus.DRAFT)
    content = client.get(reverse("events:open_list")).content.decode()
    assert "Открытый показ" in content
    assert "Внутренний семинар" not in content
    assert "Прошедший показ" not in content
    assert "Черновик показа" not in content


def test_colleague_registers_and_gets_a_confirmation(client, django_capture_on_commit_callbacks):
    event = EventFactory(is_open=True, capacity=10, title="Открытый показ игры")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:open_detail", args=[event.pk]), _form())
    confirmation = reverse("events:open_registered", args=[event.pk])
    assert response.status_code == 302
    assert response["Location"] == confirmation
    assert "petrova" not in response["Location"]
    page = client.get(confirmation)
    assert 'id="registered"' in page.content.decode()
    assert "petrova@example.org" in page.content.decode()
    # Reloading the confirmation shows it again and registers nobody twice.
    assert 'id="registered"' in client.get(confirmation).content.decode()
    assert ExternalParticipant.objects.filter(event=event).count() == 1
    registered = ExternalParticipant.objects.get(event=event)
    assert registered.full_name == "Петрова Мария Ивановна"
    assert registered.consent and registered.consent_at is not None
    assert mail.outbox == []  # the request only queues the confirmation
    assert send_queued() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["petrova@example.org"]
    assert "Открытый показ игры" in mail.outbox[0].body


def test_confirmation_needs_a_registration_in_this_session(client):
    event = EventFactory(is_open=True)
    assert client.get(reverse("events:open_registered", args=[event.pk])).status_code == 404


def test_registration_without_consent_keeps_the_form(client):
    event = EventFactory(is_open=True)
    response = client.post(reverse("events:open_detail", args=[event.pk]), _form(consent=""))
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    assert "Петрова Мария Ивановна" in response.content.decode()
    assert not ExternalParticipant.objects.exists()


def test_second_registration_of_same_email_is_rejected(client):
    event = EventFactory(is_open=True)
    url = reverse("events:open_detail", args=[event.pk])
    client.post(url, _form())
    response = client.post(url, _form(email="PETROVA@example.org", full_name="Другая"))
    assert response.context["form"].errors["email"]
    assert ExternalParticipant.objects.filter(event=event).count() == 1


def test_registration_after_deadline_or_when_full_is_refused(client):
    late = EventFactory(is_open=True, signup_deadline=in_days(-1), start=in_days(3))
    response = client.post(reverse("events:open_detail", args=[late.pk]), _form())
    assert response.context["form"].non_field_errors()
    assert 'id="registration-closed"' in response.content.decode()  # the page says why
    assert not ExternalParticipant.objects.filter(event=late).exists()
    full = EventFactory(is_open=True, capacity=1)
    ParticipationFactory(event=full)
    response = client.post(reverse("events:open_detail", args=[full.pk]), _form())
    assert response.context["form"].non_field_errors()
    assert not ExternalParticipant.objects.filter(event=full).exists()


def _exhaust_the_limit(client, url, **extra):
    for n in range(REGISTRATION_LIMIT):
        assert client.post(url, _form(email=f"c{n}@example.org"), **extra).status_code == 302
    return client.post(url, _form(email="one-more@example.org"), **extra)


def test_registration_is_rate_limited_per_address(client):
    event = EventFactory(is_open=True)
    url = reverse("events:open_detail", args=[event.pk])
    response = _exhaust_the_limit(client, url)
    assert response.status_code == 429
    assert not ExternalParticipant.objects.filter(email="one-more@example.org").exists()
    assert ExternalParticipant.objects.count() == REGISTRATION_LIMIT
    # another address is not affected
    other = client.post(url, _form(email="other@example.org"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert ExternalParticipant.objects.filter(email="other@example.org").exists()


def test_registration_limit_is_per_event(client):
    busy, other = EventFactory(is_open=True), EventFactory(is_open=True)
    assert _exhaust_the_limit(client, reverse("events:open_detail", args=[busy.pk])).status_code == 429
    response = client.post(reverse("events:open_detail", args=[other.pk]), _form())
    assert response.status_code == 302
    assert ExternalParticipant.objects.filter(event=other).exists()


def test_behind_a_trusted_proxy_the_limit_counts_each_visitor(client, settings):
    """Behind nginx every request comes from 127.0.0.1; the visitor is in the header nginx sets."""
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    event = EventFactory(is_open=True)
    url = reverse("events:open_detail", args=[event.pk])
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert _exhaust_the_limit(client, url, HTTP_X_REAL_IP="203.0.113.5", **proxy).status_code == 429
    response = client.post(url, _form(email="neighbour@example.org"), HTTP_X_REAL_IP="203.0.113.7", **proxy)
    assert response.status_code == 302
    assert ExternalParticipant.objects.filter(email="neighbour@example.org").exists()


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings):
    """Anyone can send X-Real-IP: unless the setting names it, a new value per request buys nothing."""
    settings.TRUSTED_PROXY_HEADER = ""
    event = EventFactory(is_open=True)
    url = reverse("events:open_detail", args=[event.pk])
    for n in range(REGISTRATION_LIMIT):
        client.post(url, _form(email=f"c{n}@example.org"), HTTP_X_REAL_IP=f"198.51.100.{n}")
    response = client.post(url, _form(email="one-more@example.org"), HTTP_X_REAL_IP="198.51.100.99")
    assert response.status_code == 429


def test_forwarded_for_takes_the_address_the_proxy_added(client, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    event = EventFactory(is_open=True)
    url = reverse("events:open_detail", args=[event.pk])
    # A visitor puts her own guesses first; nginx appends the address it saw.
    for n in range(REGISTRATION_LIMIT):
        client.post(url, _form(email=f"c{n}@example.org"), HTTP_X_FORWARDED_FOR=f"10.1.1.{n}, 203.0.113.5")
    response = client.post(url, _form(email="x@example.org"), HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    assert response.status_code == 429


def test_open_ics_parses_and_lists_open_events(client):
    shown = EventFactory(is_open=True, title="Открытый показ; игра", place="Группа «Колокольчик»")
    EventFactory(is_open=False, title="Внутреннее")
    response = client.get(reverse("events:open_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    items = calendar.walk("VEVENT")
    assert [str(item["summary"]) for item in items] == ["Открытый показ; игра"]
    item = items[0]
    assert item.decoded("dtstart") == shown.start
    assert item.decoded("dtend") == shown.end
    assert str(item["location"]) == "Группа «Колокольчик»"
    assert str(item["uid"]).startswith(f"event-{shown.pk}@")
    assert "dtstamp" in item


def test_personal_ics_lists_her_own_events_only(client, anna, boris):
    mine = ParticipationFactory(teacher=staff_record(anna), event=EventFactory(title="Мой семинар")).event
    ParticipationFactory(
        teacher=staff_record(anna),
        event=EventFactory(title="Отказалась"),
        status=ParticipationStatus.CANCELLED,
    )
    ParticipationFactory(teacher=staff_record(boris), event=EventFactory(title="Семинар Бориса"))
    token = calendar_token_get(employee=staff_record(anna)).token
    response = client.get(reverse("events:personal_ics", args=[token]))
    calendar = icalendar.Calendar.from_ical(response.content)
    items = calendar.walk("VEVENT")
    assert [str(item["summary"]) for item in items] == ["Мой семинар"]
    assert items[0].decoded("dtstart") == mine.start


def test_personal_ics_marks_the_waiting_list_tentative_with_her_position(client, anna, boris):
    ParticipationFactory(teacher=staff_record(anna), event=EventFactory(title="Есть место"))
    full = EventFactory(title="В очереди")
    # Boris joined the line first: Anna is second.
    ParticipationFactory(
        teacher=staff_record(boris),
        event=full,
        status=ParticipationStatus.WAITING,
        status_changed_at=in_days(-3),
    )
    ParticipationFactory(
        teacher=staff_record(anna),
        event=full,
        status=ParticipationStatus.WAITING,
        status_changed_at=in_days(-2),
    )
    token = calendar_token_get(employee=staff_record(anna)).token
    with override("en"):
        response = client.get(reverse("events:personal_ics", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    items = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    by_status = {str(item["status"]): str(item["summary"]) for item in items}
    assert by_status == {"CONFIRMED": "Есть место", "TENTATIVE": "В очереди (waiting list, place No. 2)"}
    tentative = next(item for item in items if str(item["status"]) == "TENTATIVE")
    assert str(tentative["description"]).startswith("You are on the waiting list: place No. 2")


def _published(title, days_ago, **fields):
    return EventFactory(
        title=title,
        start=in_days(-days_ago),
        status=EventStatus.HELD,
        results_published=True,
        results_text=f"Итоги: {title}",
        **fields,
    )


def test_results_page_and_feed_show_published_results(client, anna):
    older = _published("Семинар-практикум", 30)
    newer = _published("Педагогический аукцион", 5)
    EventFactory(title="Неопубликованный", start=in_days(-3), status=EventStatus.HELD)
    ParticipationFactory(event=newer, teacher=staff_record(anna), status=ParticipationStatus.ATTENDED)
    employee_results_name_consent(employee=staff_record(anna), given=True)  # named by her consent
    content = client.get(reverse("events:results")).content.decode()
    assert content.index("Педагогический аукцион") < content.index("Семинар-практикум")
    assert "Неопубликованный" not in content
    assert staff_record(anna).full_name in content

    response = client.get(reverse("events:results_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Педагогический аукцион", "Семинар-практикум"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(reverse("events:result_detail", args=[newer.pk]))
    assert "Итоги: Педагогический аукцион" in entries[0].find(f"{ATOM}summary").text
    assert older.pk != newer.pk


def test_results_query_count_is_constant(client, django_assert_num_queries, no_page_cache):
    _published("Первый", 3)
    # Whose list it is (our kindergarten at the portal's address), the page's rows and the count of all
    # results (an unnamed participant's kindergarten comes with her).
    with django_assert_num_queries(6):
        client.get(reverse("events:results"))
    for n in range(6):
        event = _published(f"Итог {n}", 10 + n)
        ParticipationFactory(event=event, status=ParticipationStatus.ATTENDED)
    with django_assert_num_queries(6):
        response = client.get(reverse("events:results"))
    assert len(response.context["events"]) == 7


def test_open_list_query_count_is_constant(client, django_assert_num_queries, no_page_cache):
    EventFactory(is_open=True, capacity=5)
    with django_assert_num_queries(2):  # whose list it is (our kindergarten), then its events
        client.get(reverse("events:open_list"))
    for _ in range(5):
        event = EventFactory(is_open=True, capacity=5)
        ExternalParticipantFactory(event=event)
    with django_assert_num_queries(2):
        response = client.get(reverse("events:open_list"))
    assert len(response.context["events"]) == 6


def test_results_are_published_only_when_held():
    event = EventFactory(start=in_days(-1))
    event.results_published = True
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "results_published" in exc.value.message_dict
