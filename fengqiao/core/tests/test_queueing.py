"""core.queueing writes the queue row the database backend itself would, and the worker runs
it; other backends get the framework's own enqueue."""

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django_tasks_db.models import DBTaskResult

from fengqiao.cases.models import EventCursor
from fengqiao.cases.tasks import handle_case_events
from fengqiao.core import queueing
from fengqiao.testing.tasks import queued_delivery

pytestmark = pytest.mark.django_db

COMPARED = [
    "status", "args_kwargs", "priority", "task_path", "worker_ids", "queue_name",
    "backend_name", "run_after", "return_value", "exception_class_path", "traceback",
]  # fmt: skip


def _row(pk) -> dict:
    return DBTaskResult.objects.filter(pk=pk).values(*COMPARED, "enqueued_at").get()


def test_the_row_is_the_one_the_backend_writes():
    with queued_delivery():
        framework = handle_case_events.enqueue(7, 3)
        queueing.enqueue(handle_case_events, 7, 3)
        ours = DBTaskResult.objects.exclude(pk=framework.id).get()
        theirs, mine = _row(framework.id), _row(ours.pk)
    assert mine.pop("enqueued_at") is not None and theirs.pop("enqueued_at") is not None
    assert mine == theirs
    assert mine["args_kwargs"] == {"args": [7, 3], "kwargs": {}}
    assert mine["status"] == "READY"


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_the_worker_runs_a_task_queued_this_way(world):
    with queued_delivery():
        case = world.register()  # registration queues its event's handlers through queueing
        row = DBTaskResult.objects.get(task_path="fengqiao.cases.tasks.handle_case_events")
        assert row.args_kwargs == {"args": [case.pk, 1], "kwargs": {}}
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == 1


def test_other_backends_get_the_frameworks_enqueue(world):
    # The test settings' immediate backend runs the task at once; nothing is queued.
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    case = world.register()
    EventCursor.objects.filter(case=case).delete()  # as if its event had not been handled
    queueing.enqueue(handle_case_events, case.pk, 1)
    assert EventCursor.objects.get(case=case).seq == 1  # handled now, in this process
    assert not DBTaskResult.objects.exists()
