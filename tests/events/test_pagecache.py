"""Public pages and feeds come from the cache until their data changes; every visitor gets her own
CSRF token; calendar clients that poll get 304."""

import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventStatus
from tests.events.factories import EventFactory, in_days

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,title",
    [
        ("events:open_list", "Открытый показ"),
        ("events:open_ics", "Открытый показ"),
        ("events:results", "Педагогический аукцион"),
        ("events:results_feed", "Педагогический аукцион"),
    ],
)
def test_second_request_is_served_from_the_cache(client, django_assert_num_queries, name, title):
    # The shared cache: Redis costs no query; the database cache two (the version, the page).
    cache_queries = 0 if isinstance(caches["pages"], RedisCache) else 2
    EventFactory(is_open=True, title="Открытый показ")
    EventFactory(
        title="Педагогический аукцион", start=in_days(-3), status=EventStatus.HELD, results_published=True
    )
    first = client.get(reverse(name))
    with django_assert_num_queries(cache_queries):
        second = client.get(reverse(name))
    assert second.status_code == 200
    # The same page but for the visitor's own CSRF token (none in the feeds).
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    assert title in second.content.decode()
    assert second["ETag"] == first["ETag"]


def test_an_edit_shows_at_once(client, django_assert_num_queries):
    event = EventFactory(is_open=True, title="Мастер-класс", start=in_days(5))
    assert "Мастер-класс" in client.get(reverse("events:open_list")).content.decode()
    event.title = "Мастер-класс по ТРИЗ"
    event.save()
    assert "Мастер-класс по ТРИЗ" in client.get(reverse("events:open_list")).content.decode()
    EventFactory(is_open=True, title="Круглый стол", start=in_days(6))
    html = client.get(reverse("events:open_list")).content.decode()
    assert "Круглый стол" in html
    event.delete()
    assert "Мастер-класс по ТРИЗ" not in client.get(reverse("events:open_list")).content.decode()


def test_calendar_clients_get_304_while_nothing_changed(client):
    event = EventFactory(is_open=True, title="Семинар для партнёров")
    first = client.get(reverse("events:open_ics"))
    etag = first["ETag"]
    assert client.get(reverse("events:open_ics"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    event.title = "Семинар для партнёров (перенесён)"
    event.save()
    changed = client.get(reverse("events:open_ics"), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "перенесён" in changed.content.decode()


def test_each_visitor_gets_her_own_csrf_token_on_a_cached_page():
    EventFactory(is_open=True)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token_1 = TOKEN.search(first.get(reverse("events:open_list")).content.decode()).group(1)
    page_2 = second.get(reverse("events:open_list")).content.decode()
    token_2 = TOKEN.search(page_2).group(1)
    assert token_1 != token_2 and "csrf-token-placeholder" not in page_2
    # The second visitor's token goes with her own cookie: the language switch works for her.
    response = second.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token_2})
    assert response.status_code == 302


def test_languages_are_cached_apart(client):
    EventFactory(is_open=True)
    russian = client.get(reverse("events:open_list")).content.decode()
    english = client.get(reverse("events:open_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="ru"' in russian and 'lang="en"' in english


def test_a_signed_in_visitor_gets_her_own_frame(client, anna):
    EventFactory(is_open=True)
    client.get(reverse("events:open_list"))  # stored for anonymous visitors
    client.force_login(anna)
    html = client.get(reverse("events:open_list")).content.decode()
    assert reverse("events:my") in html  # her menu, not the anonymous page


def test_the_registration_form_page_is_never_cached(client):
    event = EventFactory(is_open=True, capacity=10)
    url = reverse("events:open_detail", args=[event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and len(queries) > 0  # rendered for this visitor
    assert not response.has_header("ETag")
