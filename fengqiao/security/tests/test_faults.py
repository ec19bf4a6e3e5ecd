"""Faults: the database failing mid-registration leaves nothing half-written and a retry with
the key registers once; a task killed mid-run loses no case event and does none twice."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case, CaseAssignment, CaseEvent, EventCursor, Party
from fengqiao.cases.services import record_event
from fengqiao.core.worker import LockTolerantWorker
from fengqiao.intake.models import AppealKey
from fengqiao.intake.types import PartyIn
from fengqiao.security import audit
from fengqiao.security.models import AuditEntry, AuditKind
from fengqiao.testing.factories import register
from fengqiao.testing.tasks import queued_delivery
from fengqiao.workbench.services import reveal_party

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


class Outage:
    """Counts the write statements; fails the ``fail_at``-th with the error a dropped
    connection gives."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            self.writes += 1
            if self.writes == self.fail_at:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def _register(world, key="k-1"):
    return register(
        actor=world.receptionist,
        key=key,
        center=world.county_center,
        channel="window",
        title="工资拖欠",
        description="某建筑公司拖欠农民工工资三个月。",
        region=world.village,
        parties=[PartyIn(name="李四", phone="13912345678")],
    )


def _rows() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Case, Party, CaseEvent, CaseAssignment, AppealKey, DBTaskResult)
    }


def test_an_outage_at_any_write_of_a_registration_leaves_nothing_half_written(world):
    probe = Outage()
    with connection.execute_wrapper(probe):
        _register(world, key="probe")
    assert probe.writes >= 4
    whole = {"Case": 1, "Party": 1, "CaseEvent": 1, "AppealKey": 1}
    for n in range(1, probe.writes + 1):
        before = _rows()
        with pytest.raises(OperationalError), connection.execute_wrapper(Outage(n)):
            _register(world, key=f"k-{n}")
        grown = {k: v - before[k] for k, v in _rows().items() if v != before[k]}
        # Either nothing was kept, or the whole registration was (the failure came after its
        # commit, in the related-case linking): never a case without its party, event or key.
        assert grown in ({}, whole) or grown == {
            **whole,
            "DBTaskResult": grown.get("DBTaskResult"),
        }, f"write {n} of {probe.writes} left {grown}"
        # The retry with the same key gives one case, whichever way it went.
        retried = _register(world, key=f"k-{n}")
        assert Case.objects.filter(pk=retried.pk).count() == 1
        assert AppealKey.objects.filter(key=f"k-{n}").count() == 1
        assert _rows()["Case"] == before["Case"] + 1


HANDLED: list[int] = []


class Killed(BaseException):
    """Not an Exception: no handler's ``except Exception`` stops it (as a kill is not)."""


def count_handler(event) -> None:
    """A case-event reaction whose effect is a row (rolled back with its transaction)."""
    audit.record(AuditKind.EXPORT, target=f"event:{event.case_id}:{event.seq}")


def killing_handler(event) -> None:
    if event.note == "kill" and not HANDLED:
        HANDLED.append(event.seq)
        raise Killed


def _worker() -> LockTolerantWorker:
    return LockTolerantWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="fault-worker",
        excluded_queue_names=[],
    )


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_a_task_killed_mid_run_loses_no_event_and_repeats_none(world):
    HANDLED.clear()
    handlers = [
        "fengqiao.security.tests.test_faults.count_handler",
        "fengqiao.security.tests.test_faults.killing_handler",
    ]
    with queued_delivery(FENGQIAO_CASE_EVENT_HANDLERS=handlers):
        case = _register(world, key="kill-1")
        record_event(case=case, action=Action.COMMENT, actor=world.dispatcher, note="kill")
        # The first task meets both events and is killed on the second: its transaction,
        # with the first event's effect, is undone; the worker goes on, and the second
        # task handles both.
        _worker().run()
        statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
        assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
        assert HANDLED == [2]
        assert EventCursor.objects.get(case=case).seq == 2
        record_event(case=case, action=Action.COMMENT, actor=world.dispatcher, note="later")
        _worker().run()  # the worker goes on; the next task catches up
    seqs = list(case.events.order_by("seq").values_list("seq", flat=True))
    targets = list(
        AuditEntry.objects.filter(kind=AuditKind.EXPORT).values_list("target", flat=True)
    )
    assert sorted(targets) == sorted(f"event:{case.pk}:{s}" for s in seqs)  # each once
    assert EventCursor.objects.get(case=case).seq == seqs[-1]


def test_nothing_of_a_failed_reveal_audit_is_left(world):
    """The audit entry and the case event of a reveal commit together or not at all."""
    case = _register(world, key="reveal-1")
    party = case.parties.get()
    events = case.events.count()
    with pytest.raises(OperationalError), connection.execute_wrapper(Outage(3)):
        reveal_party(case=case, party=party, actor=world.dispatcher)
    assert case.events.count() == events
    assert not AuditEntry.objects.filter(kind=AuditKind.REVEAL).exists()
    assert audit.verify().ok
