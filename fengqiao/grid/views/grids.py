"""Staff pages of grids: overview and coverage, one grid, its people and boundary, the map,
and the public page of a grid (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.cases.choices import Status
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import Employment, GridPost
from fengqiao.grid.models import GridWorker
from fengqiao.grid.services import grids as grid_services
from fengqiao.grid.views.common import read_upload_or_text, region_or_404
from fengqiao.regions.models import Grid, Level, Region
from fengqiao.regions.selectors import boundary_feature, child_boundaries

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A grid worker lands on their grid; others on the grids of their center's region."""
    own = sel.own_grid_ids(request.user)
    if own and sel.is_grid_worker(request.user) and not request.GET.get("region"):
        grids = list(Grid.objects.filter(pk__in=own).select_related("region"))
        return render(request, "grid/my_grids.html", {"grids": grids})
    regions = sel.home_regions(request.user)
    if not regions and not own:
        raise Http404
    region = region_or_404(request, regions)
    qs = sel.grids_in(request.user, region)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    grids = list(page.object_list)
    workers = sel.workers_by_grid([g.pk for g in grids])
    rows = [(g, workers.get(g.pk, [])) for g in grids]
    return render(
        request,
        "grid/home.html",
        {
            "region": region,
            "regions": regions,
            "ancestors": [
                a for a in region.ancestors() if any(a.path.startswith(r.path) for r in regions)
            ],
            "children": region.children.order_by("code") if region.level < Level.VILLAGE else [],
            "coverage": sel.coverage(region) if region.level >= Level.COUNTY else None,
            "page": page,
            "rows": rows,
            "may_manage": sel.may_manage(request.user, region),
        },
    )


def _grid(request: HttpRequest, code: str) -> Grid:
    try:
        return sel.get_grid(request.user, code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def grid_detail(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    cases = sel.grid_cases(request.user, grid)
    open_cases = cases.filter(
        status__in=[Status.REGISTERED, Status.MEDIATING, Status.DISPATCHED, Status.HANDLING]
    )
    workers = sel.worker_chain(grid)
    return render(
        request,
        "grid/grid_detail.html",
        {
            "grid": grid,
            "workers": workers,
            "chain": [*grid.region.ancestors(include_self=True)],
            "cases": cases[:20],
            "case_count": cases.count(),
            "open_count": open_cases.count(),
            "reports": grid.field_reports.select_related("reporter", "case")[:10],
            "may_manage": sel.may_manage(request.user, grid.region),
            "posts": GridPost.choices,
            "employments": Employment.choices,
            "map_data": {
                "grid": grid.boundary
                and {
                    "type": "Feature",
                    "geometry": grid.boundary,
                    "properties": {"code": grid.code, "name": grid.name},
                },
                "village": boundary_feature(grid.region),
            },
        },
    )


def _back(grid: Grid) -> HttpResponse:
    return redirect("grid:grid", code=grid.code)


@login_required
@require_POST
def grid_update(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    try:
        grid_services.update_grid(
            actor=request.user,
            grid=grid,
            name=request.POST.get("name"),
            party_branch=request.POST.get("party_branch"),
            party_secretary=request.POST.get("party_secretary"),
            description=request.POST.get("description"),
        )
        messages.success(request, _("网格信息已保存。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(grid)


@login_required
@require_POST
def grid_boundary(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    try:
        data = read_upload_or_text(request, "boundary_file", "boundary")
        grid_services.set_grid_boundary(
            actor=request.user,
            grid=grid,
            boundary=data,
            source=request.POST.get("source") or "drawn",
        )
        messages.success(request, _("网格边界已保存。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(grid)


@login_required
@require_POST
def worker_add(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    reports_to = None
    if request.POST.get("reports_to", "").isdigit():
        reports_to = GridWorker.objects.filter(
            pk=int(request.POST["reports_to"]), grid=grid
        ).first()
    try:
        grid_services.add_worker(
            actor=request.user,
            grid=grid,
            name=request.POST.get("name", ""),
            post=request.POST.get("post", ""),
            employment=request.POST.get("employment", Employment.FULL_TIME),
            phone=request.POST.get("phone", ""),
            reports_to=reports_to,
            duties=request.POST.get("duties", ""),
        )
        messages.success(request, _("已添加网格人员。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(grid)


@login_required
@require_POST
def worker_remove(request: HttpRequest, code: str, worker_id: int) -> HttpResponse:
    grid = _grid(request, code)
    worker = GridWorker.objects.filter(pk=worker_id, grid=grid).first()
    if worker is None:
        raise Http404
    try:
        grid_services.remove_worker(actor=request.user, worker=worker)
        messages.success(request, _("已将%(name)s调离岗位。") % {"name": worker.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(grid)


@login_required
@require_POST
def grid_create(request: HttpRequest) -> HttpResponse:
    region = region_or_404(request, sel.home_regions(request.user), key="region", data=request.POST)
    try:
        grid = grid_services.create_grid(
            actor=request.user,
            village=region,
            name=request.POST.get("name", ""),
            party_branch=request.POST.get("party_branch", ""),
            boundary=read_upload_or_text(request, "boundary_file", "boundary") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('grid:index')}?region={region.code}")
    messages.success(request, _("已建立网格%(code)s。") % {"code": grid.code})
    return _back(grid)


@login_required
@require_POST
def region_boundary(request: HttpRequest) -> HttpResponse:
    region = region_or_404(request, sel.home_regions(request.user), key="region", data=request.POST)
    try:
        data = read_upload_or_text(request, "boundary_file", "boundary")
        grid_services.import_region_boundary(actor=request.user, region=region, boundary=data)
        messages.success(request, _("%(name)s的边界已导入。") % {"name": region.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('grid:index')}?region={region.code}")


@login_required
def grid_cases(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    page = Paginator(sel.grid_cases(request.user, grid), 25).get_page(request.GET.get("page"))
    return render(request, "grid/grid_cases.html", {"grid": grid, "page": page})


# --- the map ---------------------------------------------------------------------------------


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    regions = sel.home_regions(request.user)
    if not regions:
        raise Http404
    region = region_or_404(request, regions)
    return render(
        request,
        "grid/map.html",
        {
            "region": region,
            "children": region.children.order_by("code") if region.level < Level.VILLAGE else [],
            "ancestors": [
                a for a in region.ancestors() if any(a.path.startswith(r.path) for r in regions)
            ],
            "data_url": f"{reverse('grid:map_data')}?region={region.code}",
        },
    )


def map_payload(user, region: Region) -> dict:
    counts = sel.case_counts_by_grid(user, region)
    grids = sel.grid_collection(region, counts=counts)
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "outline": boundary_feature(region),
        "children": child_boundaries(region) if region.level < Level.VILLAGE else None,
        "grids": grids,
        "points": sel.case_points(user, region),
        "case_list_url": reverse("grid:grid_cases", args=["CODE"]),
        "max_cases": max(counts.values(), default=0),
    }


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    regions = sel.home_regions(request.user)
    region = region_or_404(request, regions)
    return JsonResponse(
        map_payload(request.user, region), json_dumps_params={"ensure_ascii": False}
    )


# --- public ----------------------------------------------------------------------------------


def public_grid(request: HttpRequest, code: str) -> HttpResponse:
    """「网格员信息上墙公开」: who works this grid, their service phone, the party branch."""
    grid = (
        Grid.objects.filter(code=(code or "")[:16], is_active=True).select_related("region").first()
    )
    if grid is None:
        raise Http404
    return render(
        request, "grid/public_grid.html", {"grid": grid, "workers": sel.worker_chain(grid)}
    )
