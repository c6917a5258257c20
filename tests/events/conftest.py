import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # The public registration rate limit counts in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()
