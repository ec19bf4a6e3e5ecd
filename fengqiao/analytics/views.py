"""Dashboards: a page with charts and the same figures as JSON."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.analytics import hotissues, report, riskmap, stability, warning
from fengqiao.analytics.selectors import (
    PERIODS,
    dashboard,
    dashboard_regions,
    drill_url,
    level_view,
    may_view,
    month_range,
    parse_filters,
)
from fengqiao.cases.choices import Channel, RiskLevel, Status
from fengqiao.cases.models import Category
from fengqiao.core.errors import DomainError
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


def _level_context(request: HttpRequest, region: Region) -> dict:
    f = parse_filters(request.GET)
    view = level_view(region, f)
    data = view.as_dict()
    data["month_links"] = {
        m: drill_url(region, f, date_from=month_range(m)[0], date_to=month_range(m)[1])
        for m in view.by_month
    }
    data["category_links"] = {
        str(c.pk): drill_url(region, f, category=c.pk) for c, _n in view.by_category if c
    }
    links = {
        "total": drill_url(region, f),
        "red": drill_url(region, f, risk="red"),
        "overdue": drill_url(region, f, list="overdue"),
        "supervised": drill_url(region, f, list="supervised"),
        "open": drill_url(region, f, list="handling"),
    }
    return {
        "level": view,
        "level_data": data,
        "links": links,
        "filters": f,
        "periods": PERIODS,
        "channels": Channel.choices,
        "categories": [
            (c.pk, pick_name(c.name, c.name_en))
            for c in Category.objects.filter(parent__isnull=True).order_by("path")
        ],
        "child_rows": [
            (r, fig, drill_url(r, f), f"?region={r.code}&{_query(f)}") for r, fig in view.children
        ],
    }


def _query(f) -> str:
    return urlencode(f.query())


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    f = parse_filters(request.GET)
    dash = dashboard(region, months=f.months)
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
            **_level_context(request, region),
        },
    )


@login_required
def level_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(level_view(_region(request), parse_filters(request.GET)).as_dict())


def _month(request: HttpRequest, default: dt.date | None) -> dt.date | None:
    raw = (request.GET.get("month") or "").strip()
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else default
    except ValueError:
        return default


def _may_edit_weights(user) -> bool:
    return user.is_superuser or user.has_perm("analytics.change_indexweights")


@login_required
def index_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    rows = stability.history(region, months=24)
    month = _month(request, rows[-1].month if rows else None)
    current = next((r for r in rows if r.month == month), None)
    w = stability.weights()
    return render(
        request,
        "analytics/index.html",
        {
            "region": region,
            "regions": dashboard_regions(request.user),
            "month": month,
            "months": [r.month for r in rows][::-1],
            "current": current,
            "parts": stability.explain(current, w) if current else [],
            "children": stability.children_scores(region, month) if month else [],
            "history": {f"{r.month:%Y-%m}": r.score for r in rows},
            "weights": [(k, str(v[0]), w[k], v[2]) for k, v in stability.COMPONENTS.items()],
            "may_edit": _may_edit_weights(request.user),
        },
    )


@login_required
@require_POST
def weights_update(request: HttpRequest) -> HttpResponse:
    if not _may_edit_weights(request.user):
        raise Http404
    values = {k: request.POST[k] for k in stability.COMPONENTS if k in request.POST}
    try:
        stability.set_weights(values, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("权重已保存，指数已重新计算。"))
    region = (request.POST.get("region") or "")[:12]
    return redirect(f"{reverse('analytics:index')}?{urlencode({'region': region})}")


@login_required
def index_json(request: HttpRequest) -> JsonResponse:
    region = _region(request)
    rows = stability.history(region, months=36)
    return JsonResponse(
        {
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
    )


@login_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    month = _month(request, warning.last_complete_month(timezone.localdate()))
    alerts = warning.alerts_for(region, month)
    return render(
        request,
        "analytics/warnings.html",
        {
            "region": region,
            "regions": dashboard_regions(request.user),
            "month": month,
            "alerts": [
                (
                    a,
                    drill_url(
                        a.region,
                        None,
                        category=a.category_id,
                        date_from=month_range(f"{a.month:%Y-%m}")[0],
                        date_to=month_range(f"{a.month:%Y-%m}")[1],
                    ),
                )
                for a in alerts
            ],
            "alpha": warning.ALPHA,
            "lowest": [pr for pr in stability.children_scores(region, month) if pr[1]][:10],
        },
    )


@login_required
def warnings_json(request: HttpRequest) -> JsonResponse:
    region = _region(request)
    month = _month(request, warning.last_complete_month(timezone.localdate()))
    return JsonResponse(
        {
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
    )


@login_required
def dashboard_json(request: HttpRequest) -> JsonResponse:
    months = request.GET.get("months", "12")
    months_value = int(months) if months.isdigit() and 0 < int(months) <= 120 else 12
    return JsonResponse(dashboard(_region(request), months=months_value).as_dict())


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    f = parse_filters(request.GET)
    metric = request.GET.get("metric", "cases")
    return render(
        request,
        "analytics/map.html",
        {
            "region": region,
            "filters": f,
            "metric": metric if metric in riskmap.METRICS else "cases",
            "metrics": [
                ("cases", _("案件数")),
                ("red", _("红色风险")),
                ("index", _("平安稳定指数")),
            ],
            "periods": PERIODS,
            "channels": Channel.choices,
            "categories": [
                (c.pk, pick_name(c.name, c.name_en))
                for c in Category.objects.filter(parent__isnull=True).order_by("path")
            ],
            "query": _query(f),
        },
    )


@login_required
def map_json(request: HttpRequest) -> JsonResponse:
    region = _region(request)
    data = riskmap.map_data(
        region, parse_filters(request.GET), request.GET.get("metric", "cases"), request.user
    )
    return JsonResponse(data)


@login_required
def report_view(request: HttpRequest) -> HttpResponse:
    """The monthly report: a page with the month picker, or the file (?format=xlsx|pdf)."""
    region = _region(request)
    month = _month(request, warning.last_complete_month(timezone.localdate()))
    fmt = request.GET.get("format", "")
    if fmt not in ("xlsx", "pdf"):
        return render(
            request,
            "analytics/report.html",
            {"region": region, "month": month, "r": report.month_report(region, month)},
        )
    r = report.month_report(region, month)
    name = f"report-{region.code}-{month:%Y-%m}.{fmt}"
    if fmt == "xlsx":
        body = report.to_excel(r)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = report.to_pdf(r), "application/pdf"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def hot_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return render(
        request,
        "analytics/hot.html",
        {
            "region": region,
            "clusters": hotissues.hot_issues(region, request.user),
            "max_cases": hotissues.MAX_CASES,
        },
    )
