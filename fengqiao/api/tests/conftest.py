import pytest
from django.core.cache import cache
from django.test import Client

from fengqiao.api.services import create_token
from fengqiao.testing.reference import load_reference_data


class ApiClient:
    """A test client that speaks JSON with a bearer token."""

    def __init__(self, token: str | None = None, language: str = "zh-hans") -> None:
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, data=None, headers=None, **kwargs):
        all_headers = {**self.headers, **(headers or {})}
        fn = getattr(self.client, method)
        if method in ("post", "put", "patch", "delete") and data is not None:
            if not isinstance(data, (str, bytes)):
                import json

                data = json.dumps(data)
            return fn(path, data=data, content_type="application/json", headers=all_headers)
        return fn(path, data=data, headers=all_headers, **kwargs)

    def get(self, path, data=None, **kw):
        return self._call("get", path, data, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def delete(self, path, data=None, **kw):
        return self._call("delete", path, data, **kw)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as(world):
    """``api_as("dispatcher")`` → an ApiClient with a fresh token for that world user."""

    def make(role: str, language: str = "zh-hans") -> ApiClient:
        user = getattr(world, role)
        return ApiClient(create_token(user=user, name="test").secret, language=language)

    return make


@pytest.fixture
def anon():
    return ApiClient()


@pytest.fixture
def reference_data(django_db_blocker):
    """For transactional tests: make sure the reference data is there (an earlier
    transactional test may have flushed it)."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="module")
def restore_reference_data(django_db_blocker):
    """Put the reference data back after a module's transactional tests: module fixtures
    end after the last test's flush, so the tests after this module find it."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()
