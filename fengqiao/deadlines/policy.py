"""The deadline policy the case core calls at dispatch (``FENGQIAO_DEADLINE_POLICY``)."""

from __future__ import annotations

import datetime as dt

from fengqiao.cases.models import Case
from fengqiao.deadlines.calendar import load_calendar
from fengqiao.deadlines.rules import limits_for


def dispatch_deadlines(case: Case, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, str]:
    """Sign and resolve deadlines for a case dispatched at ``now``, on the working-day
    calendar; the note warns when a year without an official schedule was counted Mon–Fri."""
    limits = limits_for(case)
    calendar = load_calendar()
    sign = calendar.deadline_after(now, limits.sign_days, limits.counting)
    deadline = calendar.deadline_after(now, limits.resolve_days, limits.counting)
    return sign, deadline, calendar.note()
