"""The task worker and its scheduler outlive a locked SQLite database (``make run``'s demo
loader keeps the write lock for seconds at a time), and do their work once it is free.

The worker runs as ``make run`` runs it, in a process of its own, on a copy of the test
database in a file, with a busy timeout of a quarter second; the test holds the write lock
from another connection for twelve times that, first while the worker starts, then while it
runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fengqiao.core.supervise import supervise
from fengqiao.core.worker import LOCKED_TASK_ATTEMPTS, LockTolerantWorker
from fengqiao.testing.tasks import queued_delivery

from .helpers import sqlite_only

MANAGE = Path(settings.BASE_DIR) / "manage.py"
BUSY_TIMEOUT = 0.25
HOLD = 3.0


def _worker_env(db_path: Path, var_dir: Path) -> dict[str, str]:
    """A development environment of its own (not the test settings' immediate tasks)."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env.update(
        FENGQIAO_DEBUG="1",
        FENGQIAO_SQLITE_PATH=str(db_path),
        FENGQIAO_VAR_DIR=str(var_dir),
        FENGQIAO_SQLITE_TIMEOUT=str(BUSY_TIMEOUT),
        FENGQIAO_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


def _copy_test_database(path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")  # as make run's database is
    target.close()


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=5) as conn:
        return conn.execute(sql).fetchone()[0]


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


class WriteLock:
    """The write lock on the SQLite file, held by a connection of its own as long as
    ``load_demo``'s batches hold it."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)

    def take(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("CREATE TABLE IF NOT EXISTS lock_holder (x integer)")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")


DONE = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status='SUCCESSFUL'"


@sqlite_only
@pytest.mark.django_db(transaction=True)  # the copy is taken outside any transaction
def test_worker_and_scheduler_survive_a_locked_database_and_then_work(tmp_path, settings):
    db = tmp_path / "fengqiao.sqlite3"
    _copy_test_database(db)
    jobs = len(settings.FENGQIAO_PERIODIC_JOBS)
    log = tmp_path / "worker.log"
    lock = WriteLock(db)

    def retries(doing: str) -> int:
        return log.read_text().count(f"locked by another process ({doing})")

    lock.take()  # 1. the worker starts while another process writes
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, str(MANAGE), "run_worker", "--tick=0.5", "--interval=0.1"],
            env=_worker_env(db, tmp_path / "var"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert _wait_for(lambda: retries("starting up") >= 2 or worker.poll(), 60)
        time.sleep(HOLD)
        assert worker.poll() is None, log.read_text()  # alive, and nothing done yet
        assert _count(db, DONE) == 0
        lock.release()
        assert _wait_for(lambda: _count(db, DONE) >= jobs, 60), log.read_text()

        # 2. the jobs fall due, and the lock is taken again before the scheduler claims them
        lock.conn.execute("UPDATE deadlines_periodicjob SET next_run_at = '2000-01-01 00:00:00'")
        lock.take()
        time.sleep(HOLD)
        assert worker.poll() is None, log.read_text()
        assert retries("claiming the next task") >= 2, log.read_text()
        assert retries("scheduler tick") >= 2, log.read_text()
        assert _count(db, DONE) == jobs
        lock.release()
        assert _wait_for(lambda: _count(db, DONE) == 2 * jobs, 60), log.read_text()
        assert worker.poll() is None
    finally:
        lock.conn.close()
        worker.terminate()
        worker.wait(10)
    assert "Traceback" not in log.read_text(), log.read_text()


def test_supervisor_restarts_a_dying_worker_then_gives_up_loudly(tmp_path, capsys):
    runs = tmp_path / "runs"
    dies_twice = (
        "import pathlib, sys; p = pathlib.Path(sys.argv[1]); n = len(p.read_text()) if "
        "p.exists() else 0; p.write_text('x' * (n + 1)); sys.exit(0 if n >= 2 else 3)"
    )
    out = tmp_path / "out.txt"
    with out.open("w") as stream:
        code = supervise([sys.executable, "-c", dies_twice, str(runs)], delay=0, out=stream)
    assert code == 0 and runs.read_text() == "xxx"  # died twice, restarted twice, then done
    assert out.read_text().count("died (exit code 3); restarting it") == 2

    with out.open("w") as stream:
        code = supervise(
            [sys.executable, "-c", "import sys; sys.exit(5)"],
            max_restarts=2,
            delay=0,
            out=stream,
        )
    assert code == 1
    said = out.read_text()
    assert "died 3 times within 60 s (exit code 5): giving up." in said
    assert "不再重启" in said


@task
def meets_a_locked_database() -> None:
    raise OperationalError("database is locked")


@task
def breaks() -> None:
    raise ValueError("a bug")


def _drain() -> LockTolerantWorker:
    worker = LockTolerantWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    return worker


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_a_task_that_met_a_locked_database_runs_again_later_then_fails():
    with queued_delivery():
        locked = meets_a_locked_database.enqueue()
        broken = breaks.enqueue()
        worker = _drain()
        row = DBTaskResult.objects.get(pk=locked.id)
        assert row.status == "READY" and row.run_after > timezone.now()  # back in the queue
        assert worker.requeued == 1
        assert DBTaskResult.objects.get(pk=broken.id).status == "FAILED"  # other errors fail
        for _ in range(LOCKED_TASK_ATTEMPTS - 1):
            DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
            _drain()
        row.refresh_from_db()
    assert row.status == "FAILED" and len(row.worker_ids) == LOCKED_TASK_ATTEMPTS
    assert row.exception_class_path == "django.db.utils.OperationalError"
