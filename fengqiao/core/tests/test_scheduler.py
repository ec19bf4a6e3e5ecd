"""The periodic scheduler: each tick runs once, across restarts and concurrent workers."""

import datetime as dt

import pytest

from fengqiao.cases.choices import Status
from fengqiao.core.models import PeriodicJob
from fengqiao.core.scheduler import ensure_jobs, run_due_jobs

from .helpers import cst, parallel, postgres_only

# The three jobs these tests reason about; the project's settings may list more.
THREE_JOBS = [
    ("deadline_sweep", "fengqiao.deadlines.tasks.sweep_deadlines_task", 300),
    ("supervision_sweep", "fengqiao.supervision.tasks.sweep_supervision_task", 300),
    ("calendar_reminder", "fengqiao.deadlines.tasks.remind_missing_calendar_task", 3600),
]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("three_jobs")]
T = cst(2026, 11, 17, 9)


@pytest.fixture
def three_jobs(settings):
    settings.FENGQIAO_PERIODIC_JOBS = THREE_JOBS


SWEEPS = ["deadline_sweep", "supervision_sweep"]
JOBS = ["calendar_reminder", *SWEEPS]


@pytest.fixture
def clock_at_t(monkeypatch):
    """The sweeps the scheduler queues read the clock when they run; here they run at T."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: T)


def test_each_tick_is_claimed_once_and_runs_the_sweeps(world, commits, clock_at_t):
    with commits():
        case = world.register(status=Status.HANDLING, now=cst(2026, 11, 2, 10))
    ensure_jobs(now=T)
    ensure_jobs(now=T)  # idempotent
    assert PeriodicJob.objects.count() == 3
    with commits():
        assert run_due_jobs(now=T, worker_id="w1") == JOBS
    case.refresh_from_db()
    assert case.is_overdue  # the deadline sweep ran (immediate backend in tests)
    assert case.supervision_orders.count() == 1  # and then the supervision sweep
    assert run_due_jobs(now=T, worker_id="w2") == []  # same tick: nobody runs it again
    assert run_due_jobs(now=T + dt.timedelta(seconds=299)) == []
    assert run_due_jobs(now=T + dt.timedelta(seconds=300)) == SWEEPS


def test_missed_ticks_while_down_run_once_after_restart(world):
    ensure_jobs(now=T)
    run_due_jobs(now=T)
    later = T + dt.timedelta(hours=1, seconds=10)  # twelve ticks missed
    assert run_due_jobs(now=later) == JOBS
    assert run_due_jobs(now=later + dt.timedelta(seconds=1)) == []
    job = PeriodicJob.objects.get(name="deadline_sweep")
    assert job.next_run_at == T + dt.timedelta(seconds=3900)  # stays on the 5-minute grid


def test_disabled_job_does_not_run(world):
    ensure_jobs(now=T)
    PeriodicJob.objects.filter(name="supervision_sweep").update(is_enabled=False)
    assert run_due_jobs(now=T) == ["calendar_reminder", "deadline_sweep"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_tick(world):
    ensure_jobs(now=T)
    results, errors = parallel(4, lambda i: run_due_jobs(now=T, worker_id=f"w{i}"))
    assert errors == []
    claimed = sorted(name for names in results for name in names)
    assert claimed == JOBS
