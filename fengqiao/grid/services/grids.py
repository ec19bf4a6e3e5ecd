"""Grids, their boundaries and their people; region boundaries by permission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fengqiao.core.errors import Conflict, ValidationFailed
from fengqiao.core.validators import is_phone
from fengqiao.grid.choices import Employment, GridPost
from fengqiao.grid.models import GridWorker
from fengqiao.grid.services.audit import audit
from fengqiao.grid.services.common import clean_text, require_manager
from fengqiao.org.models import User
from fengqiao.regions import geometry as geo
from fengqiao.regions import services as region_services
from fengqiao.regions.models import BoundarySource, Grid, Level, Region, RegionBoundary

MAX_GRIDS_PER_VILLAGE = 999


def next_code(village: Region) -> str:
    """The village's 12 digits and the next free three-digit sequence."""
    last = Grid.objects.filter(code__startswith=village.code).aggregate(m=Max("code"))["m"]
    seq = int(last[len(village.code) :] or 0) + 1 if last else 1
    if seq > MAX_GRIDS_PER_VILLAGE:
        raise ValidationFailed(_("该村/社区的网格编号已用完（最多999个）。"), field="code")
    return f"{village.code}{seq:03d}"


def _checked_boundary(grid: Grid | None, village: Region, data: Any) -> Any:
    """The boundary's geometry after the checks: a valid polygon inside the village (where
    the village has a boundary) overlapping no sibling grid."""
    geom = geo.parse_polygon(data)
    village_boundary = RegionBoundary.objects.filter(region=village).first()
    if village_boundary is not None:
        geo.check_within(
            geom, geo.from_geojson(village_boundary.geometry), parent_name=village.name
        )
    siblings = region_services.overlapping_box(
        Grid.objects.filter(region=village, is_active=True).filter(boundary__isnull=False),
        geo.bounds(geom),
    )
    if grid is not None and grid.pk:
        siblings = siblings.exclude(pk=grid.pk)
    geo.check_no_overlap(geom, ((g.name, geo.from_geojson(g.boundary)) for g in siblings))
    return geom


def _apply_boundary(grid: Grid, geom: Any, source: str) -> None:
    grid.boundary = geo.to_geojson(geom)
    grid.boundary_source = source
    grid.set_box(geom.bounds, geo.area_km2(geom))


@transaction.atomic
def create_grid(
    *,
    actor: User | None,
    village: Region,
    name: str,
    boundary: Any = None,
    boundary_source: str = BoundarySource.DRAWN,
    party_branch: str = "",
    party_secretary: str = "",
    description: str = "",
) -> Grid:
    """A new grid in a village/community, coded after the village. ``actor`` None: a
    system loader (the demo), which checks nothing of permission."""
    if village.level != Level.VILLAGE:
        raise ValidationFailed(_("网格只能建在村/社区下。"), field="region")
    if actor is not None:
        require_manager(actor, village)
    name = clean_text(name, _("网格名称"), max_length=64, field="name")
    if Grid.objects.filter(region=village, name=name).exists():
        raise Conflict(
            _("%(village)s已有名为“%(name)s”的网格。") % {"village": village.name, "name": name}
        )
    grid = Grid(
        region=village,
        name=name,
        code=next_code(village),
        party_branch=clean_text(party_branch, _("网格党组织"), max_length=100, required=False),
        party_secretary=clean_text(party_secretary, _("党组织书记"), max_length=32, required=False),
        description=clean_text(description, _("范围说明"), max_length=200, required=False),
    )
    if boundary not in (None, "", {}):
        _apply_boundary(grid, _checked_boundary(None, village, boundary), boundary_source)
    try:
        with transaction.atomic():
            grid.save()
    except IntegrityError as exc:  # a concurrent creation took the code: ask again
        raise Conflict(_("网格编号冲突，请重试。")) from exc
    audit(actor=actor, action="grid.create", obj=grid, code=grid.code, name=grid.name)
    return grid


@transaction.atomic
def update_grid(
    *,
    actor: User,
    grid: Grid,
    name: str | None = None,
    party_branch: str | None = None,
    party_secretary: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> Grid:
    require_manager(actor, grid.region)
    changes: dict[str, Any] = {}
    for field, value, label, n in (
        ("name", name, _("网格名称"), 64),
        ("party_branch", party_branch, _("网格党组织"), 100),
        ("party_secretary", party_secretary, _("党组织书记"), 32),
        ("description", description, _("范围说明"), 200),
    ):
        if value is None:
            continue
        value = clean_text(value, label, max_length=n, required=field == "name", field=field)
        if value != getattr(grid, field):
            changes[field] = value
            setattr(grid, field, value)
    if is_active is not None and is_active != grid.is_active:
        changes["is_active"] = is_active
        grid.is_active = is_active
    if changes:
        grid.save()
        audit(actor=actor, action="grid.update", obj=grid, **changes)
    return grid


@transaction.atomic
def set_grid_boundary(
    *, actor: User | None, grid: Grid, boundary: Any, source: str = BoundarySource.DRAWN
) -> Grid:
    """Store a grid's boundary (drawn, or imported GeoJSON) after the checks."""
    if actor is not None:
        require_manager(actor, grid.region)
    if source not in BoundarySource.values:
        raise ValidationFailed(_("边界来源无效。"), field="source")
    grid = Grid.objects.select_for_update().select_related("region").get(pk=grid.pk)
    geom = _checked_boundary(grid, grid.region, boundary)
    _apply_boundary(grid, geom, source)
    grid.save()
    audit(actor=actor, action="grid.boundary", obj=grid, source=source, area_km2=grid.area_km2)
    return grid


@transaction.atomic
def add_worker(
    *,
    actor: User | None,
    grid: Grid,
    name: str,
    post: str,
    employment: str = Employment.FULL_TIME,
    phone: str = "",
    user: User | None = None,
    reports_to: GridWorker | None = None,
    duties: str = "",
    started_on: dt.date | None = None,
) -> GridWorker:
    """Put a person in a post of the grid's chain."""
    if actor is not None:
        require_manager(actor, grid.region)
    name = clean_text(name, _("姓名"), max_length=32, field="name")
    if post not in GridPost.values:
        raise ValidationFailed(_("岗位无效。"), field="post")
    if employment not in Employment.values:
        raise ValidationFailed(_("专兼职类型无效。"), field="employment")
    phone = clean_text(phone, _("服务电话"), max_length=20, required=False, field="phone")
    if phone and not is_phone(phone):
        raise ValidationFailed(
            _("服务电话“%(phone)s”格式不正确，请填写11位手机号或带区号的固定电话。")
            % {"phone": phone},
            field="phone",
        )
    if reports_to is not None and reports_to.grid_id != grid.pk:
        raise ValidationFailed(_("上级必须是同一网格的人员。"), field="reports_to")
    if (
        user is not None
        and GridWorker.objects.filter(grid=grid, user=user, post=post, is_active=True).exists()
    ):
        raise Conflict(_("%(name)s已在该网格担任此岗位。") % {"name": name})
    worker = GridWorker(
        grid=grid,
        user=user,
        name=name,
        post=post,
        employment=employment,
        reports_to=reports_to,
        duties=clean_text(duties, _("职责"), max_length=200, required=False),
        started_on=started_on,
    )
    worker.set_phone(phone)
    worker.save()
    if user is not None and hasattr(user, "_fq_grid_ids"):
        del user._fq_grid_ids
    audit(
        actor=actor,
        action="grid.worker.add",
        obj=worker,
        region_path=grid.region_path,
        grid=grid.code,
        name=name,
        post=post,
    )
    return worker


@transaction.atomic
def remove_worker(*, actor: User, worker: GridWorker) -> GridWorker:
    """Take a person off their post (kept, inactive, for the record)."""
    require_manager(actor, worker.grid.region)
    if worker.is_active:
        worker.is_active = False
        worker.save(update_fields=["is_active"])
        GridWorker.objects.filter(reports_to=worker).update(reports_to=worker.reports_to)
        audit(
            actor=actor,
            action="grid.worker.remove",
            obj=worker,
            region_path=worker.grid.region_path,
            name=worker.name,
        )
    return worker


@transaction.atomic
def import_region_boundary(*, actor: User, region: Region, boundary: Any) -> RegionBoundary:
    """A region's boundary imported by a director or admin over it (GeoJSON)."""
    require_manager(actor, region)
    stored = region_services.set_boundary(
        region=region, geometry=boundary, source=BoundarySource.IMPORTED
    )
    audit(
        actor=actor,
        action="region.boundary",
        obj=stored,
        region_path=region.path,
        region=region.code,
        area_km2=stored.area_km2,
    )
    return stored
