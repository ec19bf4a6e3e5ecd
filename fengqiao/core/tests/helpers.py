"""Helpers of core's tests: instants in Beijing time, threads started together, and a
connection of its own to the SQLite file."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

CST = timezone.get_fixed_timezone(480)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel claims need PostgreSQL row locks"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite locks the whole database"
)


def cst(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    """An instant given in Beijing time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=CST)


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


sqlite_copy_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="copies the SQLite test database into a file"
)
