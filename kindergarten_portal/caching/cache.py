"""The cache shared by every app process, and the attempt counter that rate limits stand on.

Rate limits must hold however many processes serve the portal, so the counter lives in a store
they share: the database by default (no extra service), Redis when REDIS_URL is set.
Django's database cache increments by reading the value and writing it back, so two processes
counting at once both write the same number (30 simultaneous registrations stored 10–12 instead of
10). `AtomicDatabaseCache` locks the counter's row for the read and the write. Redis increments
atomically by itself (INCRBY).
"""

import base64
import pickle

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    """Django's database cache whose `add` and `incr` are safe across processes: each runs in a
    transaction that first locks the key's row (SELECT … FOR UPDATE), so a concurrent add or incr
    of the same key waits and then sees the committed value. On SQLite, which has no row locks,
    a writing transaction already excludes every other writer."""

    def __init__(self, table, params):
        super().__init__(table, params)
        self.table = table  # the LOCATION setting: the name of the cache's table

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        db = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=db):
            # An expired row would otherwise be overwritten by two adds at once, both "first".
            self._lock_row(db, self.make_and_validate_key(key, version=version))
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        with transaction.atomic(using=db):
            row = self._lock_row(db, key)
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                # The expiry stays: the window is counted from the first attempt.
                cursor.execute(
                    "UPDATE %s SET %s = %%s WHERE %s = %%s"
                    % (quote_name(self.table), quote_name("value"), quote_name("cache_key")),
                    [encoded, key],
                )
        return value

    def _lock_row(self, db, key):
        """Lock the row of `key` until the transaction ends; its (value,) while unexpired, else None."""
        connection = connections[db]
        quote_name = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # The expiry is compared in SQL the way Django's has_key() does it.
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s, %s > %%s FROM %s WHERE %s = %%s%s"
                % (
                    quote_name("value"),
                    quote_name("expires"),
                    quote_name(self.table),
                    quote_name("cache_key"),
                    lock,
                ),
                [now, key],
            )
            row = cursor.fetchone()
        return (row[0],) if row is not None and row[1] else None


def count_attempt(key, *, window) -> int:
    """Count one attempt under `key` and return how many there have been in its window (1 for the
    first). The window starts at the first attempt and lasts `window` seconds. Atomic in every
    shared store: two processes counting at once get different numbers."""
    for _retry in range(3):
        if cache.add(key, 1, window):
            return 1
        try:
            attempts = cache.incr(key)
        except ValueError:  # the window ended between add and incr: start a new one
            continue
        if attempts == 1:
            # Redis' INCR recreated a key that expired after the backend checked it: without an
            # expiry it would count forever.
            cache.touch(key, window)
        return attempts
    raise RuntimeError(f"The attempt counter {key!r} could not be kept in the cache.")
