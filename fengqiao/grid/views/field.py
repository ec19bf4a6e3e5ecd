"""The grid worker's phone pages: report a field event (queued in the browser while offline),
the daily work log and patrols."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import ReportCategory, ReportOutcome
from fengqiao.grid.models import FieldReport, Patrol, WorkLog
from fengqiao.grid.services import field as field_services
from fengqiao.regions.models import Grid


def _own_grids(request: HttpRequest) -> list[Grid]:
    grids = list(
        Grid.objects.filter(pk__in=sel.own_grid_ids(request.user)).select_related("region")
    )
    if not grids:
        raise Http404(_("您没有负责的网格。"))
    return grids


def _pick(request: HttpRequest, grids: list[Grid], value: str | None) -> Grid:
    for g in grids:
        if g.code == (value or "").strip():
            return g
    if value:
        raise Http404(_("网格不存在或您无权查看。"))
    return grids[0]


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    grids = _own_grids(request)
    reports = (
        FieldReport.objects.filter(reporter=request.user)
        .select_related("grid", "case")
        .order_by("-observed_at")[:10]
    )
    return render(
        request,
        "grid/report.html",
        {
            "grids": grids,
            "categories": ReportCategory.choices,
            "outcomes": ReportOutcome.choices,
            "reports": reports,
        },
    )


def _error(exc: DomainError) -> JsonResponse:
    body = {"code": exc.code, "message": str(exc.message), "details": exc.details}
    return JsonResponse(body, status=exc.http_status, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def report_submit(request: HttpRequest) -> JsonResponse:
    """One queued report from the phone page (multipart). Answers JSON; the same key again
    answers the first report (200) instead of a second one."""
    grids = list(
        Grid.objects.filter(pk__in=sel.own_grid_ids(request.user)).select_related("region")
    )
    post = request.POST
    grid = next((g for g in grids if g.code == post.get("grid", "").strip()), None)
    try:
        if grid is None:
            raise PermissionDenied(_("您不是该网格的网格员，不能为它上报。"))
        observed = (
            parse_datetime(post.get("observed_at", "")[:40]) if post.get("observed_at") else None
        )
        if observed is not None and timezone.is_naive(observed):
            observed = timezone.make_aware(observed)
        result = field_services.submit_field_report(
            reporter=request.user,
            grid=grid,
            key=request.headers.get("Idempotency-Key") or post.get("key", ""),
            category=post.get("category", ""),
            title=post.get("title", ""),
            text=post.get("text", ""),
            outcome=post.get("outcome", ReportOutcome.CASE),
            resolution=post.get("resolution", ""),
            latitude=post.get("latitude") or None,
            longitude=post.get("longitude") or None,
            observed_at=observed,
            photos=request.FILES.getlist("photos"),
            party_name=post.get("party_name", ""),
            party_phone=post.get("party_phone", ""),
        )
    except DomainError as exc:
        return _error(exc)
    except ValueError:
        return _error(DomainError(_("提交的内容有误。"), code="bad_request"))
    report = result.report
    return JsonResponse(
        {
            "created": result.created,
            "id": report.pk,
            "title": report.title,
            "outcome": report.outcome,
            "outcome_label": str(report.get_outcome_display()),
            "location_check": report.location_check,
            "location_label": str(report.get_location_check_display()),
            "case": report.case.code if report.case_id else None,
        },
        status=201 if result.created else 200,
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def worklog_page(request: HttpRequest) -> HttpResponse:
    grids = _own_grids(request)
    grid = _pick(request, grids, request.POST.get("grid") or request.GET.get("grid"))
    if request.method == "POST":
        try:
            day = parse_date(request.POST.get("day", "")[:10]) or timezone.localdate()
            field_services.save_work_log(
                worker=request.user,
                grid=grid,
                day=day,
                content=request.POST.get("content", ""),
                households_visited=int(request.POST.get("households_visited") or 0),
            )
            messages.success(request, _("工作日志已保存。"))
            return redirect("grid:worklog")
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("走访户数应为整数。"))
    logs = WorkLog.objects.filter(worker=request.user).select_related("grid")[:14]
    patrols = Patrol.objects.filter(worker=request.user).select_related("grid")[:10]
    return render(
        request,
        "grid/worklog.html",
        {
            "grids": grids,
            "grid": grid,
            "logs": logs,
            "patrols": patrols,
            "today": timezone.localdate(),
            "form": request.POST if request.method == "POST" else {},
        },
    )


@login_required
@require_POST
def patrol_submit(request: HttpRequest) -> HttpResponse:
    grids = _own_grids(request)
    grid = _pick(request, grids, request.POST.get("grid"))
    try:
        started = parse_datetime(request.POST.get("started_at", "")[:40])
        ended = parse_datetime(request.POST.get("ended_at", "")[:40])
        if started is None or ended is None:
            raise DomainError(_("请填写巡逻的开始和结束时间。"))
        tz = timezone.get_current_timezone()
        started = timezone.make_aware(started, tz) if timezone.is_naive(started) else started
        ended = timezone.make_aware(ended, tz) if timezone.is_naive(ended) else ended
        field_services.record_patrol(
            worker=request.user,
            grid=grid,
            key=request.POST.get("key", ""),
            started_at=started,
            ended_at=ended,
            findings=request.POST.get("findings", ""),
            route=request.POST.get("route") or None,
        )
        messages.success(request, _("巡逻记录已保存。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("巡逻时间格式有误。"))
    return redirect("grid:worklog")


def default_patrol_window() -> tuple[dt.datetime, dt.datetime]:
    end = timezone.localtime().replace(second=0, microsecond=0)
    return end - dt.timedelta(hours=1), end
