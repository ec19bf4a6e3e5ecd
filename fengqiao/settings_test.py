"""Settings for the test suite: fixed keys, fast password hashing, immediate tasks."""

import os

os.environ.setdefault("FENGQIAO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("FENGQIAO_FIELD_KEY", "q5Jw2fR0bYxkz2cQm8lq0k3yqzCw0xkqv8mQ5m3b6Yk=")
os.environ.setdefault("FENGQIAO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("FENGQIAO_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
# Case-event handlers right after commit, in the test's process (queued delivery has its own
# tests in fengqiao/cases/tests/test_event_delivery.py).
os.environ.setdefault("FENGQIAO_CASE_EVENT_DELIVERY", "inline")

from fengqiao.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# security (issue 18): no role needs a second factor unless a test says so.
FENGQIAO_OTP_REQUIRED_ROLES: list[str] = []
