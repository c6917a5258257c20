"""The shared attempt counter: atomic in the database cache and in Redis."""

import threading

import pytest
import redis
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection, connections

from kindergarten_portal.caching.cache import AtomicDatabaseCache, count_attempt


def _expires(key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM portal_cache WHERE cache_key = %s", [cache.make_key(key)])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_default_cache_is_the_atomic_database_table():
    assert isinstance(caches["default"], AtomicDatabaseCache)
    cache.set("probe", 7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM portal_cache WHERE cache_key = %s", [cache.make_key("probe")])
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_count_attempt_counts_from_one_and_keeps_the_window():
    assert [count_attempt("k", window=3600) for _ in range(3)] == [1, 2, 3]
    first_expiry = _expires("k")
    assert count_attempt("k", window=3600) == 4
    assert _expires("k") == first_expiry  # counting does not push the window on
    assert count_attempt("other", window=3600) == 1


@pytest.mark.django_db
def test_count_attempt_starts_again_once_the_window_is_over():
    for _ in range(5):
        count_attempt("k", window=3600)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE portal_cache SET expires = %s WHERE cache_key = %s",
            ["2020-01-01 00:00:00+00:00", cache.make_key("k")],
        )
    assert count_attempt("k", window=3600) == 1
    assert count_attempt("k", window=3600) == 2


@pytest.mark.django_db
def test_incr_of_a_missing_or_expired_key_is_refused():
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("old", 3, timeout=3600)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE portal_cache SET expires = %s WHERE cache_key = %s",
            ["2020-01-01 00:00:00+00:00", cache.make_key("old")],
        )
    with pytest.raises(ValueError):
        cache.incr("old")
    assert cache.add("old", 1, 60) is True  # an expired key is free again


def _count_at_once(threads, key):
    """`threads` threads count under `key` at the same moment; the numbers they got."""
    barrier = threading.Barrier(threads)
    got = []

    def attempt():
        try:
            barrier.wait(timeout=30)
            got.append(count_attempt(key, window=3600))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return sorted(got)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_in_the_database_get_distinct_numbers(requires_postgres):
    cache.clear()
    # Each thread has its own database connection, as separate processes would.
    assert _count_at_once(16, "burst") == list(range(1, 17))


@pytest.mark.django_db
def test_simultaneous_attempts_in_redis_get_distinct_numbers(redis_cache):
    assert _count_at_once(16, "burst") == list(range(1, 17))
    # The window is the one the first attempt set, never extended and never lost.
    assert 3590 <= redis.Redis.from_url(redis_cache).ttl(cache.make_key("burst")) <= 3600


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    """No deployment can forget `createcachetable`: `migrate` (and so `make run`) creates it."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE portal_cache")
    assert "portal_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "portal_cache" in connection.introspection.table_names()
    assert count_attempt("k", window=60) == 1
