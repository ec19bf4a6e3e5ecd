"""Dashboards: a page with charts and the same figures as JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from fengqiao.analytics.selectors import dashboard, dashboard_regions, may_view
from fengqiao.cases.choices import RiskLevel, Status
from fengqiao.core.i18n import pick_name
from fengqiao.regions.models import Region
from fengqiao.routing.risk import active_scheme


def _region(request: HttpRequest) -> Region:
    code = (request.GET.get("region") or "").strip()
    if not code:
        regions = dashboard_regions(request.user)
        if not regions:
            raise Http404
        return regions[0]
    region = Region.objects.filter(code=code[:12]).first()
    if region is None or not may_view(request.user, region):
        raise Http404
    return region


def _risk_labels() -> tuple[dict[str, str], dict[str, str]]:
    """Names and colours of the configured risk levels (translated for the built-in ones)."""

    builtin = {level.value: str(level.label) for level in RiskLevel}
    levels = active_scheme().levels
    labels = {lv.code: builtin.get(lv.code) or pick_name(lv.label) for lv in levels}
    return labels, {lv.code: lv.colour for lv in levels}


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    dash = dashboard(region)
    data = dash.as_dict()
    data["status_labels"] = {s.value: str(s.label) for s in Status}
    data["risk_labels"], data["risk_colours"] = _risk_labels()
    return render(
        request,
        "analytics/dashboard.html",
        {
            "dash": dash,
            "data": data,
            "children": region.children.order_by("code")[:60],
            "regions": dashboard_regions(request.user),
        },
    )


@login_required
def dashboard_json(request: HttpRequest) -> JsonResponse:
    months = request.GET.get("months", "12")
    months_value = int(months) if months.isdigit() and 0 < int(months) <= 120 else 12
    return JsonResponse(dashboard(_region(request), months=months_value).as_dict())
