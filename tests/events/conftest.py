import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache(django_db_setup, django_db_blocker):
    # The public registration rate limit counts in the cache (a table of the test database, or Redis);
    # every test starts from zero, including tests that do not otherwise touch the database.
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()
