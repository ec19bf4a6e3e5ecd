"""Base data pages: residents searched within a region, the counts of houses, organizations
and places, the Excel template, import (dry run first) and export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core.errors import DomainError
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import ResidentKind
from fengqiao.grid.services import imports
from fengqiao.grid.views.common import region_or_404
from fengqiao.regions.models import Grid, Region
from fengqiao.security import audit as security_audit
from fengqiao.security.models import AuditKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _roots(request: HttpRequest) -> list[Region]:
    roots = sel.home_regions(request.user)
    if not roots:
        own = Grid.objects.filter(pk__in=sel.own_grid_ids(request.user)).select_related("region")
        roots = [g.region for g in own]
    if not roots:
        raise Http404
    return roots


@login_required
def residents(request: HttpRequest) -> HttpResponse:
    roots = _roots(request)
    region = region_or_404(request, roots)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ResidentKind.values else ""
    qs = sel.search_residents(request.user, region, request.GET.get("q", ""), kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grid/residents.html",
        {
            "region": region,
            "roots": roots,
            "children": region.children.order_by("code")[:80],
            "page": page,
            "q": request.GET.get("q", "")[:32],
            "kind": kind,
            "kinds": ResidentKind.choices,
            "counts": sel.base_counts(request.user, region),
        },
    )


@login_required
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="grid-base-data-template.xlsx"'
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    roots = _roots(request)
    region = region_or_404(request, roots, data=request.POST if request.method == "POST" else None)
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_msg_no_file())
            if upload.size > imports.MAX_BYTES:
                raise DomainError(_msg_too_big())
            report = imports.import_workbook(
                actor=request.user,
                data=upload.read(),
                region=region,
                dry_run=request.POST.get("dry_run") == "1",
            )
        except DomainError as exc:
            error = str(exc.message)
    return render(request, "grid/import.html", {"region": region, "report": report, "error": error})


def _msg_no_file() -> str:
    return _("请选择要导入的Excel文件。")


def _msg_too_big() -> str:
    return _("文件不能超过10MB。")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    region = region_or_404(request, _roots(request))
    data = imports.export_residents(actor=request.user, region=region)
    security_audit.record(  # security (issue 18): every export on the audit trail
        AuditKind.EXPORT,
        actor=request.user,
        request=request,
        target=f"residents:{region.code}",
        region_path=region.path,
        detail={"bytes": len(data)},
    )
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="residents-{region.code}-{stamp}.xlsx"'
    return response
