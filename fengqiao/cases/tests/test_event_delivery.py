"""Queued delivery of case events to their handlers: the task commits with the event (or not
at all), the worker runs the handlers once per event, in order, whatever order the tasks run
in, and one failing handler does not stop the others."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from fengqiao.cases import hooks
from fengqiao.cases.choices import Action
from fengqiao.cases.models import EventCursor
from fengqiao.cases.services import transition
from fengqiao.cases.tasks import handle_case_events
from fengqiao.testing.tasks import queued_delivery

pytestmark = pytest.mark.django_db
HERE = "fengqiao.cases.tests.test_event_delivery"
seen: list[tuple[int, int, str]] = []


def record(event) -> None:
    seen.append((event.case_id, event.seq, event.action))


def fail(event) -> None:
    raise RuntimeError("this handler always fails")


@pytest.fixture
def queued():
    """Production's delivery, with a handler that records what it is given."""
    seen.clear()
    with queued_delivery(FENGQIAO_CASE_EVENT_HANDLERS=[f"{HERE}.record"]):
        yield


def _queued_calls() -> list[list[int]]:
    rows = DBTaskResult.objects.filter(task_path="fengqiao.cases.tasks.handle_case_events")
    return [row.args_kwargs["args"] for row in rows.order_by("enqueued_at", "id")]


def test_writing_an_event_queues_its_handlers_instead_of_running_them(world, queued):
    case = world.register()
    assert seen == []  # the request that registered did not wait for the handlers
    assert _queued_calls() == [[case.pk, 1]]
    assert not EventCursor.objects.filter(case=case).exists()  # the task creates it
    assert handle_case_events.call(case.pk, 1) == 1
    assert seen == [(case.pk, 1, Action.REGISTER)]
    # A retried task finds nothing left to do.
    assert handle_case_events.call(case.pk, 1) == 0
    assert seen == [(case.pk, 1, Action.REGISTER)]
    assert EventCursor.objects.get(case=case).seq == 1


def test_a_rolled_back_write_queues_nothing(world, queued):
    with pytest.raises(RuntimeError), transaction.atomic():
        world.register()
        raise RuntimeError("the registering request failed later")
    assert _queued_calls() == []


def test_events_are_handled_once_and_in_order_whichever_task_runs_first(world, queued):
    case = world.register()
    transition(case=case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=world.justice)
    first, second = _queued_calls()
    assert handle_case_events.call(*second) == 2
    assert handle_case_events.call(*first) == 0
    assert [(seq, action) for _pk, seq, action in seen] == [
        (1, Action.REGISTER),
        (2, Action.DISPATCH),
    ]


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_the_worker_runs_the_queued_handlers(world, queued):
    case = world.register()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert seen == [(case.pk, 1, Action.REGISTER)]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 1


def test_a_failing_handler_does_not_stop_the_others(world, queued):
    with override_settings(FENGQIAO_CASE_EVENT_HANDLERS=[f"{HERE}.fail", f"{HERE}.record"]):
        hooks.handlers.cache_clear()
        case = world.register()
        assert handle_case_events.call(case.pk, 1) == 1
    hooks.handlers.cache_clear()
    assert seen == [(case.pk, 1, Action.REGISTER)]
    assert EventCursor.objects.get(case=case).seq == 1


def test_inline_delivery_runs_the_handlers_after_commit(
    world, queued, django_capture_on_commit_callbacks
):
    with hooks.inline(), django_capture_on_commit_callbacks(execute=True):
        case = world.register()
    assert seen == [(case.pk, 1, Action.REGISTER)]
    assert _queued_calls() == []


def test_a_case_from_before_queued_delivery_is_not_handled_again(
    world, queued, django_capture_on_commit_callbacks
):
    # Handled in process (as before the upgrade, or by the demo loader): the cursor moves.
    with hooks.inline(), django_capture_on_commit_callbacks(execute=True):
        case = world.register()
    assert EventCursor.objects.get(case=case).seq == 1
    seen.clear()
    transition(case=case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=world.justice)
    assert _queued_calls() == [[case.pk, 2]]
    assert handle_case_events.call(case.pk, 2) == 1
    assert seen == [(case.pk, 2, Action.DISPATCH)]


def test_cases_written_around_the_hooks_count_as_handled(world, queued):
    # A bulk loader (the benchmark's generator) writes events without delivering them.
    case = world.register()
    transition(case=case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=world.justice)
    DBTaskResult.objects.all().delete()
    assert hooks.mark_all_handled() == 1
    assert EventCursor.objects.get(case=case).seq == 2
    assert hooks.mark_all_handled() == 0  # safe to run again
    transition(case=case, action=Action.SIGN, actor=world.justice_handler)
    assert handle_case_events.call(case.pk, 3) == 1
    assert [(seq, action) for _pk, seq, action in seen] == [(3, Action.SIGN)]
