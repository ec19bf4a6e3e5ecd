"""Extension points that higher apps fill in, chosen in settings (no import upwards).

``FENGQIAO_DEADLINE_POLICY`` names a callable ``(case, now) -> (sign_deadline, deadline,
notes)`` used at dispatch. The default counts calendar days; the deadlines app provides the
working-day calendar and the admin-editable time limits.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from fengqiao.cases.models import Case


class DeadlinePolicy(Protocol):
    def __call__(self, case: Case, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, str]: ...


def calendar_day_deadlines(case: Case, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, str]:
    days = {"red": 30, "yellow": 15}.get(case.risk_level, 10)
    return now + dt.timedelta(days=1), now + dt.timedelta(days=days), ""


@lru_cache(maxsize=1)
def deadline_policy() -> DeadlinePolicy:
    path = getattr(settings, "FENGQIAO_DEADLINE_POLICY", "")
    return import_string(path) if path else calendar_day_deadlines
