"""Keeping the rollups current: the case writer's after-commit hook moves a case's counts,
and ``rebuild`` recomputes everything from the cases table (after bulk loads).

A case counts at its center's county (or the center's own level when that is above county)
and again at every level above it: a dashboard for a county, a city or the province reads
only the rows of its own path (a few thousand: months × dimensions × values), never a sum over
its counties, so it costs the same for a county and for the whole province."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fengqiao.analytics.models import CaseRollupState, RollupCount
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.regions.models import PATH_SEP

DIMENSIONS = ("status", "category", "risk", "tier", "satisfaction", "on_time", "settled")
CASE_FIELDS = (
    "id", "scope_path", "registered_at", "status", "category_id", "risk_level", "tier_level",
    "satisfaction", "resolved_at", "deadline", "settled_level",
)  # fmt: skip


def rollup_path(scope_path: str) -> str:
    """The county-level path a center's path counts under (itself above county level)."""
    codes = [c for c in scope_path.split(PATH_SEP) if c]
    return PATH_SEP.join(codes[:3]) + PATH_SEP if len(codes) > 3 else scope_path


def rollup_paths(path: str) -> list[str]:
    """The rollup path and each path above it, top down: '42.', '42.4209.', '42.4209.420923.'."""
    codes = [c for c in path.split(PATH_SEP) if c]
    return [PATH_SEP.join(codes[: i + 1]) + PATH_SEP for i in range(len(codes))]


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def on_time(resolved_at, deadline) -> str:
    if resolved_at is None or deadline is None:
        return ""
    return "on_time" if resolved_at <= deadline else "late"


def case_values(case: Case) -> dict[str, str]:
    return {
        "status": case.status,
        "category": str(case.category_id or 0),
        "risk": case.risk_level,
        "tier": str(case.tier_level or 0),
        "satisfaction": case.satisfaction or "",
        "on_time": on_time(case.resolved_at, case.deadline),
        # The level of the unit that settled it (5 village, 4 township, 3 county ...).
        "settled": str(case.settled_level) if case.settled_level else "",
    }


def _apply(deltas: dict[tuple[str, dt.date, str, str], int]) -> None:
    """Add the deltas to their rollup rows in one upsert, in key order (so that concurrent
    refreshes lock rows in the same order and cannot deadlock)."""
    rows = sorted((k, d) for k, d in deltas.items() if d)
    if not rows:
        return
    table = RollupCount._meta.db_table
    marks = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params: list = []
    for (path, month, dimension, value), delta in rows:
        params += [path, month, dimension, value, delta]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (path, month, dimension, value, n) VALUES {marks} "
            f"ON CONFLICT (path, month, dimension, value) DO UPDATE SET n = {table}.n + EXCLUDED.n",
            params,
        )


def _insert_state(case_id: int, path: str, month: dt.date, values: dict[str, str]) -> bool:
    """Record a case's first contribution; False when another refresh recorded it first."""
    table = CaseRollupState._meta.db_table
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (case_id, path, month, "values") VALUES (%s, %s, %s, {cast}) '
            "ON CONFLICT (case_id) DO NOTHING RETURNING case_id",
            [case_id, path, month, json.dumps(values)],
        )
        return cursor.fetchone() is not None


@transaction.atomic
def refresh_case(case_id: int) -> bool:
    """Move one case's counts to match its current state; True if anything changed.

    Two to four statements: the case, its recorded state (locked), one upsert of all the
    changed counts, the new state. A new case inserts its state, which takes the same lock."""
    case = Case.objects.filter(pk=case_id).only(*CASE_FIELDS).first()
    if case is None:
        return False
    path, month, values = (
        rollup_path(case.scope_path),
        month_of(case.registered_at),
        case_values(case),
    )
    state = CaseRollupState.objects.select_for_update().filter(case_id=case_id).first()
    if state is None:
        if _insert_state(case_id, path, month, values):
            _apply(
                {
                    (p, month, dimension, value): 1
                    for dimension, value in values.items()
                    if value != ""
                    for p in rollup_paths(path)
                }
            )
            return True
        state = CaseRollupState.objects.select_for_update().get(case_id=case_id)
    if state.path == path and state.month == month and state.values == values:
        return False
    deltas: dict[tuple[str, dt.date, str, str], int] = {}
    for dimension in DIMENSIONS:
        old = state.values.get(dimension) if state.path else None
        new = values[dimension]
        if state.path == path and state.month == month and old == new:
            continue
        if old is not None and old != "":
            for p in rollup_paths(state.path):
                key = (p, state.month, dimension, old)
                deltas[key] = deltas.get(key, 0) - 1
        if new != "":
            for p in rollup_paths(path):
                key = (p, month, dimension, new)
                deltas[key] = deltas.get(key, 0) + 1
    _apply(deltas)
    state.path, state.month, state.values = path, month, values
    state.save(update_fields=["path", "month", "values"])
    return True


def on_case_event(event: CaseEvent) -> None:
    """After-commit handler (settings.FENGQIAO_CASE_EVENT_HANDLERS)."""
    if event.from_status != event.to_status or event.action in ("register", "update"):
        refresh_case(event.case_id)


@transaction.atomic
def rebuild() -> int:
    """Recompute every rollup from the cases table (GROUP BY); returns the rows written."""
    if connection.vendor == "postgresql":
        return _rebuild_sql()
    RollupCount.objects.all().delete()
    CaseRollupState.objects.all().delete()
    counts: dict[tuple, int] = {}
    states = []
    qs = Case.objects.only(*CASE_FIELDS).order_by("id")
    for case in qs.iterator(chunk_size=5000):
        path, month, values = (
            rollup_path(case.scope_path),
            month_of(case.registered_at),
            case_values(case),
        )
        states.append(CaseRollupState(case_id=case.pk, path=path, month=month, values=values))
        for dimension, value in values.items():
            if value != "":
                for p in rollup_paths(path):
                    key = (p, month, dimension, value)
                    counts[key] = counts.get(key, 0) + 1
        if len(states) >= 5000:
            CaseRollupState.objects.bulk_create(states)
            states.clear()
    CaseRollupState.objects.bulk_create(states)
    RollupCount.objects.bulk_create(
        [
            RollupCount(path=p, month=m, dimension=d, value=v, n=n)
            for (p, m, d, v), n in counts.items()
        ],
        batch_size=5000,
    )
    return len(counts)


def _rebuild_sql() -> int:
    """``rebuild`` in two INSERT ... SELECT statements (PostgreSQL): the same rows, computed in
    the database, about a minute for ten million cases instead of an hour through Python."""

    state = CaseRollupState._meta.db_table
    counts = RollupCount._meta.db_table
    cases = Case._meta.db_table
    sep = PATH_SEP
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {counts}, {state}")
        cursor.execute(
            f"""
            INSERT INTO {state} (case_id, path, month, "values")
            SELECT id,
                   CASE WHEN array_length(codes, 1) > 3
                        THEN array_to_string(codes[1:3], %(sep)s) || %(sep)s
                        ELSE scope_path END,
                   date_trunc('month', registered_at AT TIME ZONE %(tz)s)::date,
                   jsonb_build_object(
                       'status', status,
                       'category', COALESCE(category_id, 0)::text,
                       'risk', risk_level,
                       'tier', COALESCE(tier_level, 0)::text,
                       'satisfaction', COALESCE(satisfaction, ''),
                       'on_time', CASE WHEN resolved_at IS NULL OR deadline IS NULL THEN ''
                                       WHEN resolved_at <= deadline THEN 'on_time'
                                       ELSE 'late' END,
                       'settled', COALESCE(settled_level::text, ''))
            FROM (SELECT *, string_to_array(rtrim(scope_path, %(sep)s), %(sep)s) AS codes
                  FROM {cases}) c
            """,
            {"sep": sep, "tz": settings.TIME_ZONE},
        )
        cursor.execute(
            f"""
            INSERT INTO {counts} (path, month, dimension, value, n)
            SELECT array_to_string(s.codes[1:l], %(sep)s) || %(sep)s, s.month, kv.key,
                   kv.value, sum(s.n)
            FROM (SELECT string_to_array(rtrim(path, %(sep)s), %(sep)s) AS codes, month,
                         "values", count(*) AS n
                  FROM {state} GROUP BY path, month, "values") s
            CROSS JOIN LATERAL generate_series(1, array_length(s.codes, 1)) l
            CROSS JOIN LATERAL jsonb_each_text(s."values") kv
            WHERE kv.value <> ''
            GROUP BY 1, s.month, kv.key, kv.value
            """,
            {"sep": sep},
        )
        written = cursor.rowcount
        cursor.execute(f"ANALYZE {counts}")
        return written


def group_by_baseline(scope_path: str) -> dict:
    """The same figures computed with plain GROUP BYs over the cases table (the baseline)."""
    qs = Case.objects.under_center_path(scope_path)
    return {
        "status": dict(qs.values_list("status").annotate(n=Count("id")).order_by()),
        "category": dict(qs.values_list("category_id").annotate(n=Count("id")).order_by()),
        "risk": dict(qs.values_list("risk_level").annotate(n=Count("id")).order_by()),
        "tier": dict(qs.values_list("tier_level").annotate(n=Count("id")).order_by()),
        "satisfaction": dict(qs.values_list("satisfaction").annotate(n=Count("id")).order_by()),
        "settled": dict(
            qs.filter(settled_level__isnull=False)
            .values_list("settled_level")
            .annotate(n=Count("id"))
            .order_by()
        ),
        "month": dict(
            qs.annotate(m=TruncMonth("registered_at"))
            .values_list("m")
            .annotate(n=Count("id"))
            .order_by()
        ),
    }
