import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters and form tokens live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()
