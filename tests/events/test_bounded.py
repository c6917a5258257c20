"""The public pages and feeds read a window of time, or a page, not the whole history."""

import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.urls import reverse

from events.models import EventStatus, ParticipationStatus
from events.views import RESULTS_PAGE_SIZE
from tests.events.factories import EventFactory, ParticipationFactory, in_days

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


def test_open_list_shows_the_coming_twelve_weeks(client):
    EventFactory(is_open=True, title="Через месяц", start=in_days(30))
    EventFactory(is_open=True, title="Через 11 недель", start=in_days(77))
    EventFactory(is_open=True, title="Через полгода", start=in_days(180))
    html = client.get(reverse("events:open_list")).content.decode()
    assert "Через месяц" in html and "Через 11 недель" in html
    assert "Через полгода" not in html


def test_open_calendar_holds_last_month_and_coming_year(client):
    EventFactory(is_open=True, title="Неделю назад", start=in_days(-7))
    EventFactory(is_open=True, title="Два месяца назад", start=in_days(-60))
    EventFactory(is_open=True, title="Через полгода", start=in_days(180))
    EventFactory(is_open=True, title="Через два года", start=in_days(730))
    response = client.get(reverse("events:open_ics"))
    items = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(item["summary"]) for item in items) == ["Неделю назад", "Через полгода"]


def _published(title, days_ago):
    return EventFactory(
        title=title, start=in_days(-days_ago), status=EventStatus.HELD, results_published=True
    )


def test_results_are_shown_a_page_at_a_time_newest_first(client):
    for n in range(RESULTS_PAGE_SIZE + 1):
        _published(f"Итог №{n:02d}", 10 + n)  # №00 is the newest
    first = client.get(reverse("events:results")).content.decode()
    assert first.count('class="card result"') == RESULTS_PAGE_SIZE
    assert "Итог №00" in first and f"Итог №{RESULTS_PAGE_SIZE:02d}" not in first
    assert 'aria-current="page"' in first and "?page=2" in first
    second = client.get(reverse("events:results"), {"page": 2}).content.decode()
    assert second.count('class="card result"') == 1
    assert f"Итог №{RESULTS_PAGE_SIZE:02d}" in second
    # A page past the end shows the last one rather than an error.
    assert client.get(reverse("events:results"), {"page": 99}).status_code == 200


def test_results_feed_is_a_lean_query_with_the_latest_thirty(
    client, django_assert_num_queries, no_page_cache
):
    event = _published("Первый итог", 3)
    ParticipationFactory(event=event, status=ParticipationStatus.ATTENDED)
    with django_assert_num_queries(2):  # whose list it is (our kindergarten), then its feed
        client.get(reverse("events:results_feed"))
    for n in range(32):
        _published(f"Итог {n}", 10 + n)
    with django_assert_num_queries(2):
        response = client.get(reverse("events:results_feed"))
    titles = [e.find(f"{ATOM}title").text for e in ET.fromstring(response.content).findall(f"{ATOM}entry")]
    assert len(titles) == 30 and titles[0] == "Первый итог" and "Итог 31" not in titles
