"""Queueing a task on a hot write path.

``enqueue(task, *args)`` queues a task as ``task.enqueue(*args)`` does. Where the task's
backend is the database queue (``django_tasks_db``, production's), it writes the very row that
backend writes with :func:`fengqiao.core.inserts.insert`, in the caller's transaction; the
backend's own ``enqueue`` builds the row through ``QuerySet.create`` and a result object the
caller does not use, which cost a case registration more than a tenth of its time in the web
worker. The task is validated by its backend once per process, as ``enqueue`` does on every
call. What is left out: the ``task_enqueued`` signal (in this project only Django's debug log
listens to it). Any other backend gets ``task.enqueue``.
"""

from __future__ import annotations

from typing import Any

from django.tasks import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from fengqiao.core import inserts

_validated: set[tuple[str, str]] = set()  # (task path, backend alias) checked in this process


def _validate_once(task: Task, backend: DatabaseBackend) -> None:
    key = (task.module_path, backend.alias)
    if key in _validated:
        return
    backend.validate_task(task)
    _validated.add(key)


def db_task_row(task: Task, backend: DatabaseBackend, args: tuple[Any, ...]) -> DBTaskResult:
    """The queue row ``backend.enqueue(task, args, {})`` would write (not saved)."""
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": args, "kwargs": {}}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after if task.run_after is not None else get_date_max(),
        backend_name=backend.alias,
    )


def enqueue(task: Task, *args: Any) -> None:
    """Queue ``task(*args)`` in the current transaction (see the module's docstring)."""
    backend = task.get_backend()
    if type(backend) is not DatabaseBackend:
        task.enqueue(*args)
        return
    _validate_once(task, backend)
    inserts.insert_later(db_task_row(task, backend, args))
