"""Early warning (苗头性问题预警): one category rising in one region against its own past.

For every region at the watched levels (townships and counties) and every category, the
month's cases X are tested against a Poisson baseline λ = the mean of the same cell over the
``BASELINE_MONTHS`` months before (at least ``MIN_LAMBDA``, so a quiet place is not alarmed by
one case). An alert is raised when P(X ≥ x | λ) < ``ALPHA`` and x ≥ ``MIN_CASES``.

False-alarm rate: under the null (the cell keeps its own Poisson rate) each test fires with
probability at most ALPHA = 1 %, so of N tests about N × 1 % alerts are expected by chance;
the page states N and that number beside the alerts. Alerts go to the directors and leaders
of the center of the region (the nearest center above where it has none), once per
(region, month, category).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from fengqiao.analytics.models import RollupCell, WarningAlert
from fengqiao.cases.models import Category
from fengqiao.core.i18n import pick_name
from fengqiao.notifications.services import notify
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit, User
from fengqiao.regions.models import PATH_SEP, Level, Region

ALPHA = 0.01
BASELINE_MONTHS = 6
MIN_LAMBDA = 0.5
MIN_CASES = 3
WATCHED_LEVELS = (Level.COUNTY, Level.TOWNSHIP)


def poisson_tail(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for i in range(1, k):
        term *= lam / i
        below += term
    return max(0.0, 1.0 - below)


def _months_back(month: dt.date, n: int) -> dt.date:
    for _i in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def _depth(path: str) -> int:
    return path.count(PATH_SEP)


@dataclass(frozen=True)
class Scan:
    month: dt.date
    tests: int
    alerts: list[WarningAlert]

    @property
    def expected_false_alarms(self) -> float:
        return round(self.tests * ALPHA, 1)


def _series(month: dt.date, under: str) -> dict[tuple[str, int], dict[dt.date, int]]:
    start = _months_back(month, BASELINE_MONTHS)
    qs = RollupCell.objects.filter(month__gte=start, month__lte=month, category__gt=0)
    if under:
        qs = qs.filter(path__startswith=under)
    depths = set(WATCHED_LEVELS)
    series: dict[tuple[str, int], dict[dt.date, int]] = {}
    rows = qs.order_by().values_list("path", "category", "month").annotate(n=Sum("total"))
    for path, category, m, n in rows:
        if _depth(path) in depths and n:
            series.setdefault((path, category), {})[m] = n
    return series


def center_for(region: Region) -> Unit | None:
    """The center of the region, or of the nearest region above that has one."""
    codes = [c for c in region.path.split(PATH_SEP) if c]
    centers = {
        u.region_id: u
        for u in Unit.objects.filter(kind=UnitKind.CENTER, region_id__in=codes).order_by("pk")
    }
    for code in reversed(codes):
        if code in centers:
            return centers[code]
    return None


def _recipients(center: Unit | None) -> list[User]:
    if center is None:
        return []
    return [
        m.user
        for m in Membership.objects.filter(
            unit=center, role__in=(Role.DIRECTOR, Role.LEADER), is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def scan(month: dt.date, *, under: str = "") -> Scan:
    """Test every watched region × category for the month, store and send new alerts."""
    month = month.replace(day=1)
    series = _series(month, under)
    tests, found = 0, []
    for (path, category_id), counts in series.items():
        past = [counts.get(_months_back(month, i), 0) for i in range(1, BASELINE_MONTHS + 1)]
        observed = counts.get(month, 0)
        lam = max(MIN_LAMBDA, sum(past) / BASELINE_MONTHS)
        tests += 1
        if observed < MIN_CASES:
            continue
        p = poisson_tail(observed, lam)
        if p < ALPHA:
            found.append((path, category_id, observed, lam, p))
    regions = Region.objects.in_bulk([p.rstrip(PATH_SEP).split(PATH_SEP)[-1] for p, *_r in found])
    alerts = []
    for path, category_id, observed, lam, p in found:
        region = regions[path.rstrip(PATH_SEP).split(PATH_SEP)[-1]]
        alert, created = WarningAlert.objects.update_or_create(
            path=path,
            month=month,
            category_id=category_id,
            defaults={
                "region": region,
                "observed": observed,
                "expected": round(lam, 2),
                "p_value": p,
                "center": center_for(region),
            },
        )
        alerts.append(alert)
        if created:
            _send(alert)
    return Scan(month=month, tests=tests, alerts=alerts)


def _send(alert: WarningAlert) -> None:
    category = Category.objects.get(pk=alert.category_id)
    name = pick_name(category.name, category.name_en)
    notify(
        recipients=_recipients(alert.center),
        title=_("预警：%(region)s%(category)s类案件异常增多")
        % {"region": alert.region.name, "category": name},
        body=_("%(month)s 共 %(n)s 件，基线约 %(base)s 件（P=%(p).4f）。")
        % {
            "month": f"{alert.month:%Y-%m}",
            "n": alert.observed,
            "base": alert.expected,
            "p": alert.p_value,
        },
        link=reverse("analytics:warnings") + f"?region={alert.region_id}&month={alert.month:%Y-%m}",
        kind="analytics_warning",
        dedupe_key=f"warning:{alert.pk}",
    )


def alerts_for(region: Region, month: dt.date) -> list[WarningAlert]:
    return list(
        WarningAlert.objects.filter(path__startswith=region.path, month=month)
        .select_related("region", "category")
        .order_by("p_value")
    )


def last_complete_month(today: dt.date) -> dt.date:
    return _months_back(today.replace(day=1), 1)
