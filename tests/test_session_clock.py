"""The suite at another date (--today / PORTAL_TEST_TODAY, see conftest.py): the whole session's
clock stands on that day, in the code under test as in the tests, and keeps ticking."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from conftest import session_today


@pytest.fixture
def travelled_day(request):
    day = session_today(request.config)
    if day is None:
        pytest.skip("the clock is not set (run with --today=YYYY-MM-DD or PORTAL_TEST_TODAY)")
    return day


def test_the_session_clock_stands_on_the_day_asked_for(travelled_day):
    assert dt.date.today() == travelled_day
    assert timezone.localdate() == travelled_day
    assert timezone.localtime().hour >= 10
    assert dt.datetime.fromtimestamp(time.time(), tz=timezone.get_current_timezone()).date() == travelled_day


def test_the_session_clock_ticks(travelled_day):
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > before


@pytest.mark.django_db
def test_a_stored_timestamp_takes_the_session_day(travelled_day, anna):
    anna.refresh_from_db()
    assert timezone.localtime(anna.date_joined).date() == travelled_day
