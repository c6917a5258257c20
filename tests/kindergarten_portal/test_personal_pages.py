"""A signed-in user's main pages come from her own cache until any data changes (pagecache).

The whole suite runs with this cache on (conftest.py), so every test that writes and then reads a
page again also checks that the write forgot it; here: what is served, to whom, and what forgets it.
"""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Participation, ParticipationStatus
from kindergarten_portal import pagecache
from reports.services import academic_year_ensure, self_report_get_or_create
from staff.academic import AcademicYear
from staff.dates import add_months
from tests.events.factories import EventFactory, ParticipationFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.django_db


def _next_month_event(**fields):
    first = add_months(timezone.localdate().replace(day=1), 1)
    start = timezone.make_aware(timezone.datetime(first.year, first.month, 10, 10))
    return EventFactory(start=start, capacity=10, **fields)


def _month_url():
    first = add_months(timezone.localdate().replace(day=1), 1)
    return reverse("events:month", args=[first.year, first.month])


def _pages(anna):
    report = self_report_get_or_create(
        teacher=anna.employee, year=academic_year_ensure(year=AcademicYear.current())
    )
    first = add_months(timezone.localdate().replace(day=1), 1)
    return {
        "home": reverse("home"),
        "my page": reverse("staff:my_page"),
        "month": _month_url(),
        "calendar": reverse("events:calendar", args=[first.year, first.month]),
        "my events": reverse("events:my"),
        "portfolio": reverse("portfolios:my_portfolio"),
        "self-report": reverse("reports:self_report", args=[report.pk]),
    }


def _queries(client, url):
    """The queries of one request, and its response."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def _served_from_cache(client, url, django_assert_num_queries):
    """The page answered with the session's query only (the sessions are in the database here;
    with Redis, none)."""
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "page", ["home", "my page", "month", "calendar", "my events", "portfolio", "self-report"]
)
def test_second_request_is_served_from_her_cache(client, anna, page, django_assert_num_queries):
    _next_month_event(title="Семинар «Речевое развитие»")
    url = _pages(anna)[page]
    client.force_login(anna)
    first = client.get(url)
    assert first.status_code == 200
    second = _served_from_cache(client, url, django_assert_num_queries)
    # The same page but for her CSRF token, masked afresh for each request.
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    assert "Антонова" in second.content.decode() or "anna" in second.content.decode()


def test_each_teacher_gets_her_own_page(client, anna, boris):
    client.force_login(anna)
    client.get(reverse("staff:my_page"))
    other = Client()
    other.force_login(boris)
    queries, response = _queries(other, reverse("staff:my_page"))
    assert queries > 1  # rendered for him, not taken from Anna's
    html = response.content.decode()
    assert "Борисова" in html and "Антонова" not in html


def test_her_sign_up_shows_on_the_month_at_once(client, anna, django_assert_num_queries):
    event = _next_month_event(title="Мастер-класс по ТРИЗ")
    client.force_login(anna)
    before = client.get(_month_url()).content.decode()
    assert reverse("events:sign_up", args=[event.pk]) in before
    token = TOKEN.search(before)[1]
    response = client.post(
        reverse("events:sign_up", args=[event.pk]),
        {"next": _month_url(), "csrfmiddlewaretoken": token},
        follow=True,
    )
    # The page she is sent back to shows the message and her place; then it is cached again.
    assert Participation.objects.get(event=event).status == ParticipationStatus.SIGNED_UP
    after = response.content.decode()
    assert 'role="alert"' in after
    assert reverse("events:cancel", args=[event.pk]) in after
    # The page with the message was not stored: the next one is rendered without it, then kept.
    again = client.get(_month_url()).content.decode()
    assert 'role="alert"' not in again
    assert reverse("events:cancel", args=[event.pk]) in again
    cached = _served_from_cache(client, _month_url(), django_assert_num_queries).content.decode()
    assert TOKEN.sub("", cached) == TOKEN.sub("", again)


def test_a_cached_pages_token_is_accepted(anna):
    """The token filled into a page from the cache is hers: the form on it posts."""
    event = _next_month_event(title="Открытое занятие")
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    client.get(_month_url())
    cached = client.get(_month_url()).content.decode()
    assert "csrf-token-placeholder" not in cached
    response = client.post(
        reverse("events:sign_up", args=[event.pk]),
        {"next": _month_url(), "csrfmiddlewaretoken": TOKEN.search(cached)[1]},
    )
    assert response.status_code == 302
    assert Participation.objects.filter(event=event, teacher=anna.employee).exists()


def test_a_write_without_signals_forgets_the_pages(client, anna):
    """A queryset's update sends no signal: the connection itself sees the write."""
    event = _next_month_event(title="Старое название")
    ParticipationFactory(event=event, teacher=anna.employee)
    client.force_login(anna)
    assert "Старое название" in client.get(reverse("events:my")).content.decode()
    Event.objects.filter(pk=event.pk).update(title="Новое название")
    html = client.get(reverse("events:my")).content.decode()
    assert "Новое название" in html and "Старое название" not in html


def test_pending_messages_are_shown_not_cached(client, anna, django_assert_num_queries):
    client.force_login(anna)
    client.get(reverse("staff:my_page"))
    # A message waiting in its cookie, as one left by the page before (FallbackStorage).
    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode([Message(messages.SUCCESS, "Письмо отправлено.")])
    assert "Письмо отправлено." in client.get(reverse("staff:my_page")).content.decode()
    # Shown once; the page after it is the stored one.
    assert storage.cookie_name not in client.cookies or not client.cookies[storage.cookie_name].value
    html = _served_from_cache(client, reverse("staff:my_page"), django_assert_num_queries).content.decode()
    assert "Письмо отправлено." not in html


def test_an_address_with_other_parameters_is_not_cached(client, anna, django_assert_num_queries):
    client.force_login(anna)
    url = reverse("events:my")
    client.get(f"{url}?year=2025/2026")
    _served_from_cache(client, f"{url}?year=2025/2026", django_assert_num_queries)
    for _n in range(2):
        assert _queries(client, f"{url}?utm_source=mail")[0] > 1
    assert not [key for key in _stored_keys() if "utm" in key]


def _stored_keys():
    return list(caches["pages"]._cache)  # the tests' cache is this process's memory


def test_a_new_day_renders_the_page_again(client, anna, settings, django_assert_num_queries):
    """Her day is in the key: pages that say "today" or what is due are never a day old. Two time
    zones 26 hours apart always have different dates."""
    client.force_login(anna)
    settings.TIME_ZONE = "Etc/GMT-14"
    client.get(reverse("home"))
    _served_from_cache(client, reverse("home"), django_assert_num_queries)
    settings.TIME_ZONE = "Etc/GMT+12"
    assert _queries(client, reverse("home"))[0] > 1


def test_languages_are_cached_apart(client, anna):
    client.force_login(anna)
    assert "Моя страница" in client.get(reverse("staff:my_page")).content.decode()
    client.cookies["django_language"] = "en"
    assert "My page" in client.get(reverse("staff:my_page"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_signed_out_she_gets_the_sign_in_page_not_her_stored_page(client, anna):
    client.force_login(anna)
    client.get(reverse("staff:my_page"))
    client.post(reverse("logout"))
    response = client.get(reverse("staff:my_page"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_off_where_the_cache_is_not_shared(client, anna, settings):
    """Without Redis each worker has its own memory: the personal pages are not cached at all."""
    settings.PERSONAL_PAGE_CACHE = False
    client.force_login(anna)
    client.get(reverse("staff:my_page"))
    assert _queries(client, reverse("staff:my_page"))[0] > 1


# ---------------------------------------------------------------- what counts as a change of data


def _version():
    return caches["pages"].get(pagecache.VERSION_KEY)


def test_session_and_cache_writes_are_not_changes_of_data(client, anna):
    client.force_login(anna)
    client.get(reverse("home"))
    before = _version()
    session = client.session
    session["seen"] = "yes"
    session.save()
    caches["default"].set("some-counter", 1)  # the database cache's table in the tests
    assert _version() == before
    Event.objects.filter(pk=_next_month_event().pk).update(title="Другое")
    assert _version() != before


def test_a_transaction_forgets_the_pages_again_once_when_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            EventFactory(title=f"Событие {n}")
    assert callbacks.count(pagecache.data_changed) == 1


def test_the_watch_comes_first_so_a_wrapper_block_removes_its_own(anna):
    """A `connection.execute_wrapper()` block that opened the connection pops the last wrapper."""

    def counting(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    connection.execute_wrappers.remove(pagecache._watch)
    try:
        with connection.execute_wrapper(counting):
            pagecache.watch_writes(connection=connection)  # as when the block's query connects
            pagecache.watch_writes(connection=connection)  # a reconnection adds none
            assert connection.execute_wrappers == [pagecache._watch, counting]
        assert connection.execute_wrappers == [pagecache._watch]
    finally:
        pagecache.watch_writes(connection=connection)
