"""Dashboard figures for a region: from the rollups at county level and above, from the
cases themselves below (a township's cases are few)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fengqiao.analytics.models import RollupCount
from fengqiao.analytics.rollups import CASE_FIELDS, case_values, month_of
from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case, Category
from fengqiao.cases.selectors import active_memberships
from fengqiao.core.i18n import pick_name
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import User
from fengqiao.regions.models import Level, Region

SETTLED = {Status.RESOLVED, Status.CLOSED, Status.ARCHIVED}
SETTLED_LABELS = {
    Level.VILLAGE: _("村级化解"),
    Level.TOWNSHIP: _("镇级化解"),
    Level.COUNTY: _("县级及以上化解"),
}


@dataclass(frozen=True)
class SettledLevel:
    level: int
    label: str
    count: int
    share: float | None


@dataclass
class Dashboard:
    region: Region
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_risk: dict[str, int] = field(default_factory=dict)
    by_tier: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)
    satisfaction: dict[str, int] = field(default_factory=dict)
    on_time: dict[str, int] = field(default_factory=dict)
    # Cases settled per level of the settling unit ("5" village, "4" township, "3" county…).
    by_settled: dict[str, int] = field(default_factory=dict)
    source: str = "rollup"

    @property
    def settled_levels(self) -> list[SettledLevel]:
        """小事不出村、大事不出镇: cases settled at each level, village first, with their share
        of all the settled cases (levels above the county are counted with the county)."""
        counts: dict[int, int] = {}
        for key, n in self.by_settled.items():
            level = max(int(key), Level.COUNTY) if key.isdigit() else None
            if level is not None:
                counts[level] = counts.get(level, 0) + n
        total = sum(counts.values())
        return [
            SettledLevel(
                level=level,
                label=str(SETTLED_LABELS[level]),
                count=counts.get(level, 0),
                share=round(counts.get(level, 0) / total, 4) if total else None,
            )
            for level in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY)
        ]

    @property
    def resolution_rate(self) -> float | None:
        settled = sum(self.by_status.get(s, 0) for s in SETTLED)
        return round(settled / self.total, 4) if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        done = self.on_time.get("on_time", 0) + self.on_time.get("late", 0)
        return round(self.on_time.get("on_time", 0) / done, 4) if done else None

    @property
    def satisfaction_rate(self) -> float | None:
        rated = sum(self.satisfaction.values())
        return round(self.satisfaction.get("satisfied", 0) / rated, 4) if rated else None

    def as_dict(self) -> dict:
        return {
            "region": self.region.code,
            "region_name": self.region.full_name,
            "total": self.total,
            "by_status": self.by_status,
            "by_category": self.by_category,
            "by_risk": self.by_risk,
            "by_tier": self.by_tier,
            "by_month": self.by_month,
            "satisfaction": self.satisfaction,
            "on_time": self.on_time,
            "by_settled": self.by_settled,
            "settled_levels": [
                {"level": s.level, "label": s.label, "count": s.count, "share": s.share}
                for s in self.settled_levels
            ],
            "resolution_rate": self.resolution_rate,
            "on_time_rate": self.on_time_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "source": self.source,
        }


def _since(months: int) -> dt.date:
    today = timezone.localdate()
    month = today.replace(day=1)
    for _i in range(months - 1):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def _from_rollups(dash: Dashboard, since: dt.date | None) -> None:
    # Every level keeps its own rows (see rollups): one path, a few thousand rows.
    qs = RollupCount.objects.filter(path=dash.region.path)
    if since:
        qs = qs.filter(month__gte=since)
    target = {
        "category": dash.by_category, "risk": dash.by_risk, "tier": dash.by_tier,
        "satisfaction": dash.satisfaction, "on_time": dash.on_time, "settled": dash.by_settled,
    }  # fmt: skip
    # The region's rows (a few thousand) summed by the database: per value over the months,
    # and per month for the statuses (the cases registered each month).
    totals = (
        qs.order_by()
        .values_list("dimension", "value")
        .annotate(total=Sum("n"))
        .values_list("dimension", "value", "total")
    )
    for dimension, value, n in totals:
        if not n:
            continue
        if dimension == "status":
            dash.by_status[value] = n
        elif dimension in target:
            target[dimension][value] = n
    months = dict(
        qs.filter(dimension="status")
        .order_by()
        .values_list("month")
        .annotate(total=Sum("n"))
        .values_list("month", "total")
    )
    for bucket in (dash.by_status, *target.values()):
        for key in [k for k, v in bucket.items() if not v]:
            del bucket[key]
    dash.by_month = {f"{m:%Y-%m}": n for m, n in sorted(months.items()) if n}


def _live(dash: Dashboard, since: dt.date | None) -> None:
    dash.source = "live"
    qs = Case.objects.under_center_path(dash.region.path)
    if since:
        qs = qs.filter(registered_at__date__gte=since)
    for case in qs.only(*CASE_FIELDS).iterator():
        values = case_values(case)
        dash.by_status[values["status"]] = dash.by_status.get(values["status"], 0) + 1
        for name, target in (("category", dash.by_category), ("risk", dash.by_risk),
                             ("tier", dash.by_tier), ("satisfaction", dash.satisfaction),
                             ("on_time", dash.on_time), ("settled", dash.by_settled)):  # fmt: skip
            if values[name]:
                target[values[name]] = target.get(values[name], 0) + 1
        month = f"{month_of(case.registered_at):%Y-%m}"
        dash.by_month[month] = dash.by_month.get(month, 0) + 1


def dashboard(region: Region, *, months: int | None = 12) -> Dashboard:
    """Counts by status, category, risk, tier and month, on-time rate and satisfaction for the
    cases in charge of centers in this region (the last ``months`` months; None: all)."""
    dash = Dashboard(region=region)
    since = _since(months) if months else None
    if region.level <= Level.COUNTY:
        _from_rollups(dash, since)
    else:
        _live(dash, since)
    dash.by_status = {k: v for k, v in dash.by_status.items() if v}
    dash.total = sum(dash.by_status.values())
    names = {
        pk: pick_name(name, name_en)
        for pk, name, name_en in Category.objects.filter(
            pk__in=[int(k) for k in dash.by_category if k != "0"]
        ).values_list("pk", "name", "name_en")
    }
    dash.by_category = dict(
        sorted(
            ((names.get(int(k), "—"), v) for k, v in dash.by_category.items()),
            key=lambda kv: -kv[1],
        )
    )
    return dash


def dashboard_regions(user: User) -> list[Region]:
    """The regions whose dashboard this user may open: their centers' regions."""

    regions = {m.unit.region for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER}
    if user.is_superuser and not regions:
        regions = set(Region.objects.filter(level=Level.PROVINCE)[:1])
    return sorted(regions, key=lambda r: r.path)


def may_view(user: User, region: Region) -> bool:
    return user.is_superuser or any(region.path.startswith(r.path) for r in dashboard_regions(user))
