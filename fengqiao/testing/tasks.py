"""Production's task delivery in tests: the database task queue and queued case events."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from asgiref.local import Local
from django.tasks import task_backends
from django.test import override_settings


def _reset_backends() -> None:
    # django.tasks keeps the configured backends; a changed TASKS setting needs a fresh set.
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


@contextlib.contextmanager
def queued_delivery(**extra_settings) -> Iterator[None]:
    """Tasks go to the database queue (run them with ``task.call`` or the worker) and case
    events reach their handlers through it, as in production."""
    from fengqiao.cases import hooks

    def reset() -> None:
        _reset_backends()
        hooks.handlers.cache_clear()

    try:
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
            FENGQIAO_CASE_EVENT_DELIVERY="queue",
            **extra_settings,
        ):
            reset()
            yield
    finally:
        reset()  # with the settings restored, so the test settings' backends come back
