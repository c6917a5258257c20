"""A mini-site taken down is gone from every app process at once: two gunicorn servers on one test
database (and on Redis when it is the cache) keep the public pages in the cache they share, and the
test process, a third one, unpublishes through the service.

Transactional: the servers read only committed data (see test_scale_out.py, whose helpers start them).
"""

import http.client
import time
import urllib.parse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from portfolios.services import minisite_save
from staff.access import staff_record
from tests.factories import teacher_user
from tests.kindergarten_portal.test_scale_out import Visitor, running_servers, server_env
from tests.portfolios.factories import published_site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("requires_postgres")]

# How soon both servers must answer 404 once the service has returned.
AT_ONCE = 1.0


@pytest.fixture(scope="module", params=["database", "redis"])
def servers(request, django_db_setup, django_db_blocker):
    """Two gunicorn processes and the settings of the page cache they share: the database's table,
    or Redis under a key prefix of this run's own."""
    if connection.vendor != "postgresql":
        pytest.skip("two processes share a PostgreSQL database (set DATABASE_URL)")
    env = server_env(redis=request.param == "redis")
    pages = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_page_cache",
        "KEY_PREFIX": "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    if request.param == "database":
        # `migrate` made the table only if this run's own settings name it (not with REDIS_URL).
        with override_settings(CACHES={"pages": pages}), django_db_blocker.unblock():
            call_command("createcachetable", verbosity=0)
    if request.param == "redis":
        pages = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env["REDIS_URL"],
            "KEY_PREFIX": env["CACHE_KEY_PREFIX"] + "pages",
        }
    with running_servers(env) as bases:
        yield bases, pages


def _get_with_etag(base, path, etag):
    """A calendar's or browser's revalidation: If-None-Match with the ETag it kept."""
    host = urllib.parse.urlsplit(base).netloc
    conn = http.client.HTTPConnection(host, timeout=30)
    try:
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https", "Host": host, "If-None-Match": etag})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


def test_a_mini_site_taken_down_is_gone_from_both_servers_at_once(servers, settings):
    bases, pages = servers
    # The test process shares the servers' page cache, as a third process of the portal would.
    settings.CACHES = {**settings.CACHES, "pages": pages}
    user = teacher_user("anna", surname="Антонова")
    site = published_site(staff_record(user), slug="antonova")
    path = reverse("site:page", args=[site.slug])
    etags = []
    for base in bases:
        for _ in range(2):  # the second answer comes from the shared cache
            status, headers, body = Visitor().get(base, path)
            assert status == 200 and "Антонова" in body
            assert headers["Cache-Control"] == "no-cache"
        etags.append(headers["ETag"])
        assert _get_with_etag(base, path, headers["ETag"])[0] == 304
    assert etags[0] == etags[1]  # one page, kept once for both

    data = {key: getattr(site, key) for key in ("slug", "about", "credo", *type(site).PARTS)}
    minisite_save(teacher=staff_record(user), by=user, data={**data, "published": False}, consent=False)
    taken_down = time.monotonic()

    for base in bases:
        assert Visitor().get(base, path)[0] == 404
        assert _get_with_etag(base, path, etags[0])[0] == 404
    assert time.monotonic() - taken_down < AT_ONCE
