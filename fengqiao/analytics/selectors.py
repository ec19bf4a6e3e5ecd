"""Dashboard figures for a region: from the rollups at county level and above, from the
cases themselves below (a township's cases are few)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fengqiao.analytics.models import CELL_MEASURES, RollupCell, RollupCount
from fengqiao.analytics.rollups import CASE_FIELDS, case_values, month_of
from fengqiao.cases.choices import Channel, Status
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


# ---------------------------------------------------------------------------------------
# Filtered figures by place (the cells): per level, with drill-down and the regions below.

PERIODS = (1, 3, 6, 12, 24, 36)


@dataclass(frozen=True)
class Filters:
    months: int = 12
    category: Category | None = None
    channel: str = ""

    @property
    def since(self) -> dt.date:
        return _since(self.months)

    def query(self) -> dict[str, str]:
        q = {"months": str(self.months)}
        if self.category is not None:
            q["category"] = str(self.category.pk)
        if self.channel:
            q["channel"] = self.channel
        return q


def parse_filters(params) -> Filters:
    """Filters from query parameters; anything unknown falls back to the default."""
    raw = str(params.get("months") or "12")
    months = int(raw) if raw.isdigit() and int(raw) in PERIODS else 12
    category = None
    cat = str(params.get("category") or "")
    if cat.isdigit():
        category = Category.objects.filter(pk=int(cat)).first()
    channel = str(params.get("channel") or "")
    if channel not in Channel.values:
        channel = ""
    return Filters(months=months, category=category, channel=channel)


def cells_of(paths: list[str], f: Filters, since: dt.date | None = None) -> QuerySet:
    qs = RollupCell.objects.filter(path__in=paths, month__gte=since or f.since)
    if f.category is not None:
        qs = qs.filter(category__in=_category_ids(f.category))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    return qs.order_by()


def _category_ids(category: Category) -> list[int]:
    return list(
        Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True)
    )


def _sums(qs: QuerySet, *group: str) -> list[dict]:
    return list(qs.values(*group).annotate(**{m: Sum(m) for m in CELL_MEASURES}))


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass
class Figures:
    """The measures of a set of cells, with the rates a leader reads."""

    m: dict[str, int]

    def __getattr__(self, name: str) -> int:
        if name in CELL_MEASURES:
            return self.m.get(name) or 0
        raise AttributeError(name)

    @property
    def resolution_rate(self) -> float | None:
        return _rate(self.settled, self.total)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.on_time + self.late)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.rated)

    @property
    def red_share(self) -> float | None:
        return _rate(self.red, self.total)

    @property
    def village_share(self) -> float | None:
        done = self.settled_village + self.settled_township + self.settled_above
        return _rate(self.settled_village, done)

    @property
    def township_share(self) -> float | None:
        done = self.settled_village + self.settled_township + self.settled_above
        return _rate(self.settled_village + self.settled_township, done)

    def as_dict(self) -> dict:
        return {
            **{m: getattr(self, m) for m in CELL_MEASURES},
            "resolution_rate": self.resolution_rate,
            "on_time_rate": self.on_time_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "red_share": self.red_share,
            "village_share": self.village_share,
            "township_share": self.township_share,
        }


def _figures(rows: list[dict]) -> Figures:
    m = dict.fromkeys(CELL_MEASURES, 0)
    for row in rows:
        for k in CELL_MEASURES:
            m[k] += row.get(k) or 0
    return Figures(m)


def _change(now: int, before: int) -> float | None:
    return round((now - before) / before, 4) if before else None


@dataclass
class LevelView:
    region: Region
    filters: Filters
    figures: Figures
    by_month: dict[str, int]
    by_category: list[tuple[Category | None, int]]
    by_channel: list[tuple[str, str, int]]
    children: list[tuple[Region, Figures]]
    month_on_month: float | None
    year_on_year: float | None
    this_month: str

    def as_dict(self) -> dict:
        return {
            "region": self.region.code,
            "region_name": self.region.full_name,
            "filters": self.filters.query(),
            "figures": self.figures.as_dict(),
            "by_month": self.by_month,
            "by_category": [
                {"id": c.pk if c else 0, "name": pick_name(c.name, c.name_en) if c else "—", "n": n}
                for c, n in self.by_category
            ],
            "by_channel": [{"code": c, "name": name, "n": n} for c, name, n in self.by_channel],
            "children": [{"code": r.code, "name": r.name, **f.as_dict()} for r, f in self.children],
            "month_on_month": self.month_on_month,
            "year_on_year": self.year_on_year,
            "this_month": self.this_month,
        }


def _months_back(month: dt.date, n: int) -> dt.date:
    for _i in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def level_view(region: Region, f: Filters) -> LevelView:
    """The filtered figures of a region by place: totals and rates, the monthly trend with
    month-on-month and year-on-year change of the latest month, top categories, channels, and
    the same figures for each region directly below. Reads the cells only (one path per
    query, plus the children's paths)."""
    rows = _sums(cells_of([region.path], f), "month", "category", "channel")
    figures = _figures(rows)
    by_month_d: dict[dt.date, int] = {}
    by_cat: dict[int, int] = {}
    by_channel: dict[str, int] = {}
    for row in rows:
        by_month_d[row["month"]] = by_month_d.get(row["month"], 0) + row["total"]
        by_cat[row["category"]] = by_cat.get(row["category"], 0) + row["total"]
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["total"]
    this = timezone.localdate().replace(day=1)
    trend = {
        r["month"]: r["total"]
        for r in _sums(cells_of([region.path], f, since=_months_back(this, 12)), "month")
    }
    cats = Category.objects.in_bulk([k for k in by_cat if k])
    labels = dict(Channel.choices)
    children = list(region.children.order_by("code")[:100])
    child_rows: dict[str, list[dict]] = {}
    for row in _sums(cells_of([c.path for c in children], f), "path"):
        child_rows.setdefault(row["path"], []).append(row)
    return LevelView(
        region=region,
        filters=f,
        figures=figures,
        by_month={f"{m:%Y-%m}": n for m, n in sorted(by_month_d.items()) if n},
        by_category=sorted(((cats.get(k), n) for k, n in by_cat.items() if n), key=lambda x: -x[1])[
            :10
        ],
        by_channel=sorted(
            ((c, str(labels.get(c, c or "—")), n) for c, n in by_channel.items() if n),
            key=lambda x: -x[2],
        ),
        children=sorted(
            ((c, _figures(child_rows.get(c.path, []))) for c in children),
            key=lambda x: (-x[1].total, x[0].code),
        ),
        month_on_month=_change(trend.get(this, 0), trend.get(_months_back(this, 1), 0)),
        year_on_year=_change(trend.get(this, 0), trend.get(_months_back(this, 12), 0)),
        this_month=f"{this:%Y-%m}",
    )


def drill_url(region: Region, f: Filters | None = None, **params: object) -> str:
    """The workbench case list showing the cases behind a figure (the same filters as the
    dashboard: region by place, category, channel, period, plus the figure's own)."""
    query: dict[str, object] = {"region": region.code}
    if f is not None:
        query["date_from"] = f.since.isoformat()
        if f.category is not None:
            query["category"] = f.category.pk
        if f.channel:
            query["channel"] = f.channel
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('workbench:cases')}?{urlencode(query)}"


def month_range(month: str) -> tuple[str, str]:
    """The first and last day of a 'YYYY-MM' month as ISO dates (for a month's drill-down)."""
    start = dt.date.fromisoformat(f"{month}-01")
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start.isoformat(), end.isoformat()
