"""Analytics: figures by place with filters, the 平安稳定指数 and its weights, warnings.
Scope as on the pages: a user reads the regions of their centers and below."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from fengqiao.analytics import stability, warning
from fengqiao.analytics.selectors import dashboard_regions, level_view, may_view, parse_filters
from fengqiao.api.routers.common import ERRORS
from fengqiao.core.errors import NotFound, PermissionDenied
from fengqiao.core.i18n import pick_name
from fengqiao.regions.models import Region

router = Router(tags=["analytics"])

RegionCode = Annotated[str, Field(max_length=12)]


class LevelQuery(Schema):
    region: RegionCode = ""
    months: int = Field(12, description="1, 3, 6, 12, 24 or 36")
    category: int | None = None
    channel: str = ""


class MonthQuery(Schema):
    region: RegionCode = ""
    month: str = Field("", description="YYYY-MM")


class WeightsIn(Schema):
    weights: dict[str, float]


def _region(request: HttpRequest, code: str) -> Region:
    if not code:
        regions = dashboard_regions(request.auth)
        if not regions:
            raise NotFound("no region")
        return regions[0]
    region = Region.objects.filter(code=code).first()
    if region is None or not may_view(request.auth, region):
        raise NotFound("region")
    return region


def _month(raw: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else default
    except ValueError:
        return default


@router.get("/analytics/level", response={200: dict, **ERRORS}, summary="按发生地统计（可筛选）")
def level(request: HttpRequest, q: Query[LevelQuery]) -> dict[str, Any]:
    f = parse_filters(q.dict(exclude_none=True))
    return level_view(_region(request, q.region), f).as_dict()


@router.get("/analytics/index", response={200: dict, **ERRORS}, summary="平安稳定指数及各项扣分")
def index(request: HttpRequest, q: Query[MonthQuery]) -> dict[str, Any]:
    region = _region(request, q.region)
    rows = stability.history(region, months=36)
    return {
        "region": region.code,
        "weights": stability.weights(),
        "months": [
            {
                "month": f"{r.month:%Y-%m}",
                "score": r.score,
                "total": r.total,
                "components": [c.__dict__ for c in stability.explain(r)],
            }
            for r in rows
        ],
    }


@router.put("/analytics/index/weights", response={200: dict, **ERRORS}, summary="修改指数权重")
def put_weights(request: HttpRequest, body: WeightsIn) -> dict[str, Any]:
    user = request.auth
    if not (user.is_superuser or user.has_perm("analytics.change_indexweights")):
        raise PermissionDenied("weights")
    return {"weights": stability.set_weights(body.weights, actor=user)}


@router.get("/analytics/warnings", response={200: dict, **ERRORS}, summary="苗头性问题预警")
def warnings(request: HttpRequest, q: Query[MonthQuery]) -> dict[str, Any]:
    region = _region(request, q.region)
    month = _month(q.month, warning.last_complete_month(timezone.localdate()))
    return {
        "region": region.code,
        "month": f"{month:%Y-%m}",
        "alpha": warning.ALPHA,
        "alerts": [
            {
                "region": a.region_id,
                "region_name": a.region.name,
                "category": pick_name(a.category.name, a.category.name_en),
                "observed": a.observed,
                "expected": a.expected,
                "p_value": a.p_value,
            }
            for a in warning.alerts_for(region, month)
        ],
    }
