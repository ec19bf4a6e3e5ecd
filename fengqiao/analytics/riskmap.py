"""Risk map: the regions directly below as a choropleth (cases, red cases or the 平安稳定指数
by place, from the cells and the index), and the visible cases that have coordinates as
points. Boundaries come from the stored GeoJSON (``regions``); nothing is fetched from the
internet."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from fengqiao.analytics.models import StabilityIndex
from fengqiao.analytics.selectors import Filters, cells_of, drill_url
from fengqiao.cases.selectors import visible_cases
from fengqiao.org.models import User
from fengqiao.regions.models import PATH_END, Region
from fengqiao.regions.selectors import child_boundaries

METRICS = ("cases", "red", "index")
MAX_POINTS = 2000


def map_data(region: Region, f: Filters, metric: str, user: User) -> dict[str, Any]:
    """A FeatureCollection of the children with ``value`` (the metric), ``cases``, ``red``,
    ``score`` and the links (their own map, their cases), and the case points."""
    metric = metric if metric in METRICS else "cases"
    collection = child_boundaries(region)
    paths = {c.code: c.path for c in region.children.all()}
    sums = {
        row["path"]: row
        for row in cells_of(list(paths.values()), f)
        .values("path")
        .annotate(total=Sum("total"), red=Sum("red"))
    }
    month = (
        StabilityIndex.objects.filter(path=region.path)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    scores = dict(
        StabilityIndex.objects.filter(path__in=paths.values(), month=month).values_list(
            "path", "score"
        )
    ) if month else {}  # fmt: skip
    children = {c.code: c for c in region.children.all()}
    for feature in collection["features"]:
        props = feature["properties"]
        path = paths.get(props["code"], "")
        row = sums.get(path, {})
        props["cases"] = row.get("total") or 0
        props["red"] = row.get("red") or 0
        props["score"] = scores.get(path, 100.0 if month else None)
        props["value"] = {"cases": props["cases"], "red": props["red"], "index": props["score"]}[
            metric
        ]
        child = children.get(props["code"])
        if child is not None:
            props["cases_url"] = drill_url(child, f)
    collection["metric"] = metric
    collection["index_month"] = f"{month:%Y-%m}" if month else None
    collection["points"] = _points(region, f, user)
    return collection


def _points(region: Region, f: Filters, user: User) -> list[dict[str, Any]]:
    qs = visible_cases(user).filter(
        region_path__gte=region.path,
        region_path__lt=region.path + PATH_END,
        latitude__isnull=False,
        longitude__isnull=False,
        registered_at__date__gte=f.since,
    )
    if f.category is not None:
        qs = qs.filter(category__path__startswith=f.category.path)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    rows = qs.order_by("-registered_at").values_list(
        "code", "title", "risk_level", "longitude", "latitude"
    )[:MAX_POINTS]
    return [
        {"code": code, "title": title, "risk": risk, "value": [float(lon), float(lat)]}
        for code, title, risk, lon, lat in rows
    ]
