"""The environment of a test run, set before Django reads its settings.

The suite runs the production settings (DEBUG off, whitenoise's manifest storage, secure cookie
flags); only the password hasher is swapped for a fast one. pytest-django would load settings named
in the pytest ini before any conftest is imported, so the settings module is named here instead,
after the environment it reads is in place (pytest-django: "configure the Django settings in a
conftest").
"""

import datetime as dt
import os
import shutil
import tempfile
from zoneinfo import ZoneInfo

import django
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
# The test client and the live server speak plain HTTP: no redirect to HTTPS (else as production).
os.environ["SECURE_SSL_REDIRECT"] = "false"
# collectstatic runs once per session into a directory of its own, never into the project's.
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-static-")
os.environ["STATIC_ROOT"] = STATIC_ROOT

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
django.setup()


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    """{% static %} resolves through the manifest, as in production: the files are collected first."""
    call_command("collectstatic", interactive=False, verbosity=0)


# ---- the suite at another date: `--today=2026-12-31` or PORTAL_TEST_TODAY=2026-12-31


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        default=os.environ.get("PORTAL_TEST_TODAY") or None,
        help="run the whole session with the clock at 10:00 local time of this day, ticking "
        "(default: $PORTAL_TEST_TODAY, else the real date); chromium's clock does not travel, "
        'so leave the browser tests out: -m "not browser"',
    )


_TRAVELLER = pytest.StashKey[time_machine.travel]()


def session_today(config):
    """The day the session's clock was set to (--today / PORTAL_TEST_TODAY), else None."""
    value = config.getoption("today")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--today / PORTAL_TEST_TODAY: {value!r} is not a date YYYY-MM-DD") from None


def pytest_configure(config):
    day = session_today(config)
    if day is None:
        return
    # 10:00 in the site's zone: the local date is `day` whichever zone the machine is in. The
    # travel covers the test process, with the live server's thread (timezone.now, date.today,
    # time.time); chromium's JavaScript clock and the database server's NOW() keep the real time.
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    config.stash[_TRAVELLER] = time_machine.travel(moment, tick=True)
    config.stash[_TRAVELLER].start()


def pytest_report_header(config):
    day = session_today(config)
    if day is not None:
        return (
            f"clock travelled to {day.isoformat()} 10:00 {settings.TIME_ZONE} (--today / PORTAL_TEST_TODAY)"
        )
    return None


def pytest_unconfigure(config):
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
