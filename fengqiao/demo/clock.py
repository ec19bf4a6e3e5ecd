"""A simulated clock for writing history.

The demo plays a year of cases through the services with ``now=`` set to the moment each
step happened. A few services and event handlers of other apps take the time from
``django.utils.timezone.now()`` instead (an automatic classification, a link's timestamp):
while the demo writes, :func:`simulated` makes that function return the simulated moment,
so that every row and event of a case carries the time it happened, in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


class Clock:
    def __init__(self) -> None:
        self._real = timezone.now
        self.current: dt.datetime | None = None

    def set(self, moment: dt.datetime | None) -> None:
        self.current = moment

    def now(self) -> dt.datetime:
        return self.current if self.current is not None else self._real()


@contextmanager
def simulated() -> Iterator[Clock]:
    """Within the block, ``timezone.now()`` answers the clock's current moment."""
    clock = Clock()
    original = timezone.now
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = original
