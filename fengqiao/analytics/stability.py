"""平安稳定指数: a 0–100 score per region and month (100 = no pressure at all).

    score = 100 × (1 − Σ wᵢ·pᵢ / Σ wᵢ)        over the components that have data

Each component's pressure pᵢ is a ratio capped at 1 (its reference value is where the
pressure is full):

    density      cases per 10,000 residents in the month / 30     (needs the population)
    red          red cases / cases / 0.20
    repeat       repeated appeals / cases / 0.30
    violent      民转刑 risk (red cases whose risk words fired) / cases / 0.05
    unresolved   1 − settled / cases
    late         resolved late / resolved with a deadline
    dissatisfied 1 − satisfied / rated

A month without cases scores 100. Each component's contribution (the points it takes off)
is wᵢ·pᵢ / Σ wᵢ × 100, so the contributions and the score add up to 100.

Computed incrementally: a case change marks its (path, month) pairs in ``IndexDirty`` (the
rollup handler); ``compute_dirty`` sums the cells of the marked pairs and scores them in one
INSERT … SELECT, whatever the number of regions; a change of weights rescores every row in one
UPDATE (the inputs are stored beside the score).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from fengqiao.analytics.models import (
    IndexDirty,
    IndexWeights,
    RegionPopulation,
    RollupCell,
    StabilityIndex,
)
from fengqiao.core.errors import DomainError
from fengqiao.org.models import User
from fengqiao.regions.models import PATH_SEP, Region

# component: (label, reference value, default weight)
COMPONENTS: dict[str, tuple[object, float, float]] = {
    "density": (_("每万人案件数"), 30.0, 20.0),
    "red": (_("红色风险占比"), 0.20, 20.0),
    "repeat": (_("重复信访占比"), 0.30, 10.0),
    "violent": (_("民转刑风险占比"), 0.05, 15.0),
    "unresolved": (_("未化解占比"), 1.0, 15.0),
    "late": (_("超时办结占比"), 1.0, 10.0),
    "dissatisfied": (_("不满意占比"), 1.0, 10.0),
}
DEFAULTS: dict[str, float] = {k: v[2] for k, v in COMPONENTS.items()}


class InvalidWeights(DomainError):
    code = "invalid_weights"


def weights() -> dict[str, float]:
    row = IndexWeights.objects.order_by("pk").first()
    stored = row.weights if row else {}
    return {k: float(stored.get(k, DEFAULTS[k])) for k in COMPONENTS}


@transaction.atomic
def set_weights(values: dict[str, float], *, actor: User) -> dict[str, float]:
    """Store new weights (each 0–100, not all zero; a missing one keeps its current value) and
    rescore every stored month."""
    clean: dict[str, float] = {}
    current = weights()
    for key in COMPONENTS:
        try:
            value = float(values.get(key, current[key]))
        except (TypeError, ValueError) as exc:
            raise InvalidWeights(_("权重必须是0到100之间的数。")) from exc
        if not 0 <= value <= 100:
            raise InvalidWeights(_("权重必须是0到100之间的数。"))
        clean[key] = value
    if not any(clean.values()):
        raise InvalidWeights(_("权重不能全部为零。"))
    row = IndexWeights.objects.select_for_update().order_by("pk").first() or IndexWeights()
    row.weights, row.updated_by = clean, actor
    row.save()
    rescore_all(clean)
    return clean


def _ratio(num: str, den: str, ref: float) -> str:
    """SQL: min(1, num / den / ref), NULL when den is 0 or NULL."""
    value = f"(1.0 * {num} / NULLIF({den}, 0) / {ref!r})"
    return f"(CASE WHEN {value} > 1 THEN 1.0 ELSE {value} END)"


def _pressures_sql() -> dict[str, str]:
    refs = {k: v[1] for k, v in COMPONENTS.items()}
    return {
        "density": _ratio("total * 10000.0", "population", refs["density"]),
        "red": _ratio("red", "total", refs["red"]),
        "repeat": _ratio("repeat", "total", refs["repeat"]),
        "violent": _ratio("violent", "total", refs["violent"]),
        "unresolved": _ratio("(total - settled)", "total", 1.0),
        "late": _ratio("late", "(on_time + late)", 1.0),
        "dissatisfied": _ratio("(rated - satisfied)", "rated", 1.0),
    }


def score_sql(w: dict[str, float]) -> str:
    """The score as one SQL expression over a StabilityIndex row (the weights inlined as
    numbers: they are validated floats)."""
    taken, present = [], []
    for key, sql in _pressures_sql().items():
        weight = float(w.get(key, 0))
        if weight:
            taken.append(f"COALESCE({weight!r} * {sql}, 0)")
            present.append(f"(CASE WHEN {sql} IS NULL THEN 0 ELSE {weight!r} END)")
    if not taken:
        return "100.0"
    return (
        f"(CASE WHEN total = 0 OR ({' + '.join(present)}) = 0 THEN 100.0 "
        f"ELSE 100.0 * (1 - ({' + '.join(taken)}) / ({' + '.join(present)})) END)"
    )


@dataclass(frozen=True)
class Contribution:
    key: str
    label: str
    value: float | None  # the raw ratio (or cases per 10,000)
    pressure: float | None
    weight: float
    points: float  # what it takes off the score


def _raw(row: StabilityIndex) -> dict[str, float | None]:
    def div(a: float, b: float | None) -> float | None:
        return a / b if b else None

    return {
        "density": div(row.total * 10000.0, row.population),
        "red": div(row.red, row.total),
        "repeat": div(row.repeat, row.total),
        "violent": div(row.violent, row.total),
        "unresolved": div(row.total - row.settled, row.total),
        "late": div(row.late, row.on_time + row.late),
        "dissatisfied": div(row.rated - row.satisfied, row.rated),
    }


def explain(row: StabilityIndex, w: dict[str, float] | None = None) -> list[Contribution]:
    """Each component's value, pressure and the points it takes off (the same formula as
    ``score_sql``, in Python, for one row)."""
    w = w or weights()
    raw = _raw(row) if row.total else dict.fromkeys(COMPONENTS)
    pressures = {k: (None if v is None else min(1.0, v / COMPONENTS[k][1])) for k, v in raw.items()}
    present = sum(w[k] for k, p in pressures.items() if p is not None) or 0.0
    return [
        Contribution(
            key=k,
            label=str(COMPONENTS[k][0]),
            value=None if raw[k] is None else round(raw[k], 4),
            pressure=None if pressures[k] is None else round(pressures[k], 4),
            weight=w[k],
            points=round(100 * w[k] * pressures[k] / present, 2)
            if present and pressures[k] is not None
            else 0.0,
        )
        for k in COMPONENTS
    ]


def score_of(row: StabilityIndex, w: dict[str, float] | None = None) -> float:
    return round(100 - sum(c.points for c in explain(row, w)), 2)


SUMS = ("total", "red", "repeat", "violent", "settled", "on_time", "late", "satisfied", "rated")


def _level_sql(column: str) -> str:
    return f"(LENGTH({column}) - LENGTH(REPLACE({column}, '{PATH_SEP}', '')))"


@transaction.atomic
def compute_dirty(limit: int | None = None) -> int:
    """Compute the index of every (path, month) marked since the last run; returns how many.

    Claims the marked pairs (a change arriving meanwhile unclaims its pair, so it is computed
    again next run), sums their cells into StabilityIndex, scores them, drops the claims."""
    batch = (IndexDirty.objects.aggregate(m=Max("batch"))["m"] or 0) + 1
    dirty = IndexDirty._meta.db_table
    claim = IndexDirty.objects.filter(batch__isnull=True)
    if limit:
        claim = IndexDirty.objects.filter(pk__in=list(claim.values_list("pk", flat=True)[:limit]))
    claimed = claim.update(batch=batch)
    if not claimed:
        return 0
    table, cells, pops = (
        StabilityIndex._meta.db_table,
        RollupCell._meta.db_table,
        RegionPopulation._meta.db_table,
    )
    cols = ", ".join(SUMS)
    updates = ", ".join(f"{s} = EXCLUDED.{s}" for s in SUMS)
    now = "CURRENT_TIMESTAMP"
    with connection.cursor() as cursor:
        # One statement: the marked pairs' cells summed (with the population) and scored.
        cursor.execute(
            f"""
            INSERT INTO {table} (path, month, level, score, {cols}, population, computed_at)
            SELECT path, month, {_level_sql("path")}, {score_sql(weights())}, {cols},
                   population, {now}
            FROM (SELECT d.path AS path, d.month AS month,
                         {", ".join(f"COALESCE(SUM(c.{s}), 0) AS {s}" for s in SUMS)},
                         p.population AS population
                  FROM {dirty} d
                  LEFT JOIN {cells} c ON c.path = d.path AND c.month = d.month
                  LEFT JOIN {pops} p ON p.path = d.path
                  WHERE d.batch = %s
                  GROUP BY d.path, d.month, p.population) s
            WHERE true
            ON CONFLICT (path, month) DO UPDATE SET {updates}, score = EXCLUDED.score,
                population = EXCLUDED.population, computed_at = EXCLUDED.computed_at
            """,
            [batch],
        )
        cursor.execute(f"DELETE FROM {dirty} WHERE batch = %s", [batch])
    return claimed


def rescore_all(w: dict[str, float] | None = None) -> int:
    """Score every stored row again (after the weights changed): one UPDATE."""
    table = StabilityIndex._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET score = {score_sql(w or weights())}")
        return cursor.rowcount


def set_population(region: Region, population: int) -> None:
    """Record a region's residents (see ``set_populations``)."""
    set_populations({region: population})


def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.split(PATH_SEP) if c]
    return [PATH_SEP.join(codes[: i + 1]) + PATH_SEP for i in range(len(codes) - 1)]


@transaction.atomic
def set_populations(values: dict[Region, int]) -> int:
    """Record residents of regions; every region above gets the sum of the regions directly
    below it that have a number (deepest first). The stored months of all of them are marked
    for recomputation. Returns the regions written, those above included."""
    if any(n < 0 for n in values.values()):
        raise InvalidWeights(_("人口不能为负数。"))
    for region, n in values.items():
        RegionPopulation.objects.update_or_create(
            region=region, defaults={"path": region.path, "population": n}
        )
    above = sorted(
        {p for r in values for p in _ancestor_paths(r.path)}, key=lambda p: -p.count(PATH_SEP)
    )
    for path in above:
        depth = path.count(PATH_SEP) + 1
        total = sum(
            n
            for child, n in RegionPopulation.objects.filter(path__startswith=path)
            .exclude(path=path)
            .values_list("path", "population")
            if child.count(PATH_SEP) == depth
        )
        code = path.rstrip(PATH_SEP).split(PATH_SEP)[-1]
        RegionPopulation.objects.update_or_create(
            region_id=code, defaults={"path": path, "population": total}
        )
    paths = {r.path for r in values} | set(above)
    pairs = set(StabilityIndex.objects.filter(path__in=paths).values_list("path", "month"))
    IndexDirty.objects.bulk_create(
        [IndexDirty(path=p, month=m) for p, m in sorted(pairs)], ignore_conflicts=True
    )
    IndexDirty.objects.filter(path__in=paths).update(batch=None)
    return len(paths)


def history(region: Region, *, months: int = 24) -> list[StabilityIndex]:
    return list(StabilityIndex.objects.filter(path=region.path).order_by("-month")[:months])[::-1]


def latest_month(region: Region) -> dt.date | None:
    row = StabilityIndex.objects.filter(path=region.path).order_by("-month").first()
    return row.month if row else None


def children_scores(region: Region, month: dt.date) -> list[tuple[Region, StabilityIndex | None]]:
    """The index of each region directly below, for one month (lowest score first)."""
    children = list(region.children.order_by("code"))
    rows = {
        r.path: r
        for r in StabilityIndex.objects.filter(path__in=[c.path for c in children], month=month)
    }
    pairs = [(c, rows.get(c.path)) for c in children]
    return sorted(pairs, key=lambda pr: (pr[1].score if pr[1] else 101, pr[0].code))
