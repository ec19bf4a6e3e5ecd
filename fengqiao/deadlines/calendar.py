"""The official working-day calendar (工作日历) and working-time arithmetic.

A day is a working day by, in order: the schedule an admin entered for its year; the
``chinese_calendar`` package (holidays and make-up working days, 调休); otherwise Monday to
Friday, remembered in :attr:`WorkCalendar.fallback_years` so that every deadline computed
that way carries a warning.

Working time counts each working day as 24 hours and every other day as nothing; a deadline
of N working days ends at 23:59:59 (Beijing time) of the N-th working day after the start day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.deadlines.choices import Counting, DayKind
from fengqiao.deadlines.models import CalendarDay, CalendarYear

DAY = 86400
END_OF_DAY = dt.time(23, 59, 59)


def package_covers(year: int) -> bool:
    """Whether the installed chinese_calendar knows this year's official schedule."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Answers "is this a working day?" and does working-day arithmetic on local dates."""

    def __init__(self, entered: dict[int, dict[dt.date, bool]] | None = None) -> None:
        # year -> {date: is_workday} for the years an admin entered.
        self.entered = entered or {}
        self.fallback_years: set[int] = set()
        self._covers: dict[int, bool] = {}

    def source(self, year: int) -> str:
        """Where this year's days come from: "entered", "package" or "fallback"."""
        if year in self.entered:
            return "entered"
        if year not in self._covers:
            self._covers[year] = package_covers(year)
        return "package" if self._covers[year] else "fallback"

    def is_workday(self, day: dt.date) -> bool:
        source = self.source(day.year)
        if source == "entered":
            override = self.entered[day.year].get(day)
            return override if override is not None else day.weekday() < 5
        if source == "package":
            return chinese_calendar.is_workday(day)
        self.fallback_years.add(day.year)
        return day.weekday() < 5

    def note(self) -> str:
        """The warning for deadlines computed with the Monday–Friday fallback ("" if none)."""
        if not self.fallback_years:
            return ""
        years = "、".join(str(y) for y in sorted(self.fallback_years))
        return _("%(years)s年节假日未录入，按周一至周五计算") % {"years": years}

    # Day arithmetic -------------------------------------------------------------------

    def nth_workday_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (n = 0: ``day`` itself if it is a working day,
        else the next one)."""
        current = day
        if n == 0:
            while not self.is_workday(current):
                current += dt.timedelta(days=1)
            return current
        count = 0
        while count < n:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return current

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]."""
        count, current = 0, start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count

    # Instants (aware datetimes) ---------------------------------------------------------

    def deadline_after(
        self, start: dt.datetime, days: int, counting: str = Counting.WORKING
    ) -> dt.datetime:
        """The end (23:59:59 Beijing time) of the ``days``-th working (or natural) day after
        the day of ``start``."""
        local_day = timezone.localtime(start).date()
        if counting == Counting.NATURAL:
            end_day = local_day + dt.timedelta(days=days)
        else:
            end_day = self.nth_workday_after(local_day, days)
        return _aware(dt.datetime.combine(end_day, END_OF_DAY))

    def elapsed(
        self, start: dt.datetime, end: dt.datetime, counting: str = Counting.WORKING
    ) -> float:
        """Working seconds between two instants (natural seconds when counting natural days)."""
        if end <= start:
            return 0.0
        if counting == Counting.NATURAL:
            return (end - start).total_seconds()
        a, b = timezone.localtime(start), timezone.localtime(end)
        total, day = 0.0, a.date()
        while day <= b.date():
            if self.is_workday(day):
                day_start = _aware(dt.datetime.combine(day, dt.time()))
                day_end = day_start + dt.timedelta(days=1)
                total += (min(b, day_end) - max(a, day_start)).total_seconds()
            day += dt.timedelta(days=1)
        return max(total, 0.0)

    def advance(
        self, start: dt.datetime, seconds: float, counting: str = Counting.WORKING
    ) -> dt.datetime:
        """The instant ``seconds`` of working time after ``start``."""
        if counting == Counting.NATURAL or seconds <= 0:
            return start + dt.timedelta(seconds=max(seconds, 0))
        current = timezone.localtime(start)
        left = seconds
        for _i in range(3660):  # ten years of days at most
            day = current.date()
            day_end = _aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
            if self.is_workday(day):
                available = (day_end - current).total_seconds()
                if left <= available:
                    return current + dt.timedelta(seconds=left)
                left -= available
            current = day_end
        return current


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, timezone.get_default_timezone())


def load_calendar(years: Iterable[int] | None = None) -> WorkCalendar:
    """The calendar with every schedule admins entered (a few dozen rows a year)."""

    year_qs = CalendarYear.objects.all()
    if years is not None:
        year_qs = year_qs.filter(year__in=list(years))
    entered: dict[int, dict[dt.date, bool]] = {
        y: {} for y in year_qs.values_list("year", flat=True)
    }
    if entered:
        for date, kind in CalendarDay.objects.filter(
            calendar_year__year__in=list(entered)
        ).values_list("date", "kind"):
            entered[date.year][date] = kind == DayKind.WORKDAY
    return WorkCalendar(entered)
