"""Test setup shared by every app: the divisions of one real county, loaded once."""

from pathlib import Path

import pytest

from fengqiao.testing.reference import ensure_test_regions, load_reference_data

SHARED = Path(__file__).resolve().parent.parent / "shared"


def _is_transactional(request) -> bool:
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.fixture(autouse=True)
def _reseed_after_flush(request, django_db_blocker):
    """After a transactional test has emptied the database, put the reference data back
    so that whichever test runs next on this worker finds it."""
    yield
    if _is_transactional(request):
        with django_db_blocker.unblock():
            load_reference_data()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in English (the test client's
    LocaleMiddleware) leaves English active in the thread for whatever runs next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Per-process caches of reference rows (categories, centers) start empty: a flushed and
    re-seeded database gives the same rows new ids."""
    from fengqiao.api.services import forget_authenticated
    from fengqiao.core import refcache

    refcache.invalidate()
    forget_authenticated()
    yield
    refcache.invalidate()
    forget_authenticated()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_test_regions()


@pytest.fixture
def world(db):
    from fengqiao.cases.taxonomy import ensure_default_categories
    from fengqiao.testing.factories import build_world

    ensure_test_regions()
    ensure_default_categories()
    return build_world()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present: data-driven test skipped")
    return SHARED / "data"
