"""Shared test helpers for deadlines and supervision: fixed instants in Beijing time and
running the after-commit handlers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

CST = timezone.get_fixed_timezone(480)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel sweeps need PostgreSQL row locks"
)


def cst(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    """An instant given in Beijing time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=CST)


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def parallel(n: int, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
