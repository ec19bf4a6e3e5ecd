"""The organization pages for directors and admins."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fengqiao.cases.models import Category
from fengqiao.org.models import Membership, Unit
from fengqiao.org.selectors import managed_region_paths
from fengqiao.regions.models import PATH_END, Region
from fengqiao.workbench.views.common import manager_required, page_context


def _under(paths: list[str] | None, field: str = "region_path") -> Q:
    """Rows under any of these region paths; every row for None (the whole deployment)."""
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__gte": p, f"{field}__lt": p + PATH_END})
    return q


@manager_required
def manage_units(request: HttpRequest) -> HttpResponse:
    units = list(
        Unit.objects.filter(_under(managed_region_paths(request.user)))
        .select_related("region", "center")
        .order_by("region_path", "kind", "name")[:500]
    )
    return render(request, "workbench/manage_units.html", page_context(request, units=units))


@manager_required
def manage_staff(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(_under(managed_region_paths(request.user), "unit__region_path"))
        .select_related("user", "unit")
        .order_by("unit__region_path", "unit__name", "role", "user__username")[:1000]
    )
    return render(
        request, "workbench/manage_staff.html", page_context(request, memberships=memberships)
    )


@manager_required
def manage_categories(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.select_related("parent").order_by("path"))
    for c in categories:
        c.depth = c.path.count("/") - 1
    return render(
        request, "workbench/manage_categories.html", page_context(request, categories=categories)
    )


@manager_required
def manage_regions(request: HttpRequest) -> HttpResponse:
    roots = managed_region_paths(request.user)
    code = request.GET.get("code", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if (
        region is not None
        and roots is not None
        and not any(region.path.startswith(p) for p in roots)
    ):
        region = None
    if region is None:
        tops = (
            list(Region.objects.filter(level=1).order_by("code")[:100])
            if roots is None
            else list(Region.objects.filter(path__in=roots))
        )
        return render(
            request,
            "workbench/manage_regions.html",
            page_context(request, region=None, children=tops, ancestors=[]),
        )
    children = list(region.children.order_by("code")[:1000])
    ancestors = [
        a for a in region.ancestors() if roots is None or any(a.path.startswith(p) for p in roots)
    ]
    units = list(region.units.order_by("kind", "name"))
    return render(
        request,
        "workbench/manage_regions.html",
        page_context(request, region=region, children=children, ancestors=ancestors, units=units),
    )
