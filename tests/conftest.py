"""Shared fixtures: the fixed personas every access test uses, and browser set-up."""

import os
import shutil
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.live_server_helper import LiveServer

from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR
from tests.factories import UserFactory, teacher_user

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


@pytest.fixture(autouse=True)
def _city_wide_outside_requests():
    """A test's own reads and writes are city-wide, as a command's are (django-scopes disabled); each
    request it makes runs in its user's scope (the middleware opens it), as in production."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request the test client made in English leaves
    English active in the thread (LocaleMiddleware activates, nothing deactivates)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_blocker):
    """Every test starts without cached public pages or rate-limit counts of an earlier one (the
    cache is a table of the test database, or Redis). A test without the database leaves the
    database cache alone: with no database test in the run there is no test database, and the
    connection would reach the real one that DATABASE_URL names."""
    uses_db = request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("django_db_setup")
    emptied = [cache for cache in caches.all() if uses_db or not isinstance(cache, DatabaseCache)]

    def empty():
        with django_db_blocker.unblock():
            for cache in emptied:
                cache.clear()

    empty()
    yield
    empty()


@pytest.fixture
def no_page_cache(settings):
    """The public pages' cache out of a query count (the database cache costs queries of its own,
    Redis none): the count is of the page's rendering or of the write itself. What the cache does
    is tested in tests/kindergarten_portal/test_pagecache.py."""
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def anna(db):
    return teacher_user("anna", surname="Антонова")


@pytest.fixture
def boris(db):
    return teacher_user("boris", surname="Борисова")


@pytest.fixture
def berezka(db):
    """A second kindergarten on the portal, «Берёзка» (NETWORK.md)."""
    from tests.events.factories import OrganizationFactory

    return OrganizationFactory(
        name="МБДОУ «Детский сад № 7 «Берёзка»»", short_name="Детский сад № 7", slug="berezka"
    )


@pytest.fixture
def head(db):
    return UserFactory(username="head", role=HEAD)


@pytest.fixture
def senior(db):
    return UserFactory(username="senior", role=SENIOR_EDUCATOR)


@pytest.fixture
def personas(anna, boris, head, senior):
    return {"anonymous": None, "anna": anna, "boris": boris, "head": head, "senior": senior}


@pytest.fixture
def requires_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def redis_url_or_skip():
    """The Redis to test against (REDIS_URL, else the local default); skipped when none answers,
    except in CI, whose machines run one: there a missing Redis fails the run."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {url} is not reachable ({exc}); CI must run the Redis tests")
        pytest.skip(f"Redis at {url} is not reachable ({exc})")
    return url


@pytest.fixture
def redis_cache(settings):
    """The default cache in Redis, under a key prefix of its own: other test runs share the server."""
    url = redis_url_or_skip()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"portal-test-{uuid.uuid4().hex}",
        }
    }
    return url


# ---- browser tests (pytest-playwright with Debian's chromium; never `playwright install`)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"chromium not found at {CHROMIUM}; install Debian's chromium to run browser tests")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (same address option), with static files served by whitenoise
    from the collected, hashed files as in production: the StaticFilesHandler it installs looks
    the hashed names up in the app folders and answers 404, so no stylesheet would load.

    Production's secure cookie flags stay on: chromium keeps Secure cookies on http://localhost.
    """
    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _through
    server.start()
    yield server
    server.stop()


def _through(application):
    return application


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Asia/Yekaterinburg"}


def browser_marker_errors(items):
    """A test drives chromium exactly when it is marked `browser`: CI's SQLite run leaves out
    `-m "not browser"`, so an unmarked browser test would fail there, and a marked test that opens
    no browser would silently go untested on SQLite."""
    errors = []
    for item in items:
        # Every pytest-playwright fixture (page, context, browser, new_context) stands on `playwright`.
        drives_browser = "playwright" in getattr(item, "fixturenames", ())
        marked = item.get_closest_marker("browser") is not None
        if drives_browser and not marked:
            errors.append(f"{item.nodeid} opens a browser but is not marked `browser`")
        elif marked and not drives_browser:
            errors.append(f"{item.nodeid} is marked `browser` but opens no browser (page, browser)")
    return errors


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config, items):
    errors = browser_marker_errors(items)
    if errors:
        raise pytest.UsageError("\n".join(["Browser marker out of step with the test:", *errors]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # Under CI a browser test that skipped (no chromium, say) is a failure, not a pass.
    if os.environ.get("CI") and report.skipped and item.get_closest_marker("browser"):
        report.outcome = "failed"
        report.longrepr = f"browser test skipped under CI: {report.longrepr}"


@pytest.fixture
def soffice():
    if not os.path.exists(SOFFICE):
        if os.environ.get("CI"):
            pytest.fail(f"soffice not found at {SOFFICE}; CI must run the office tests")
        pytest.skip(f"soffice not found at {SOFFICE}; install libreoffice-calc-nogui to run office tests")
    return SOFFICE
