"""Writes of regions' boundaries (the divisions themselves come from ``loader``).

:func:`set_boundary` stores one region's boundary after the checks of
:mod:`fengqiao.regions.geometry`. Permission belongs to the caller (a management command, or
an app above ``org`` that knows who is asking): this app sits below the organization.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fengqiao.core.errors import ValidationFailed
from fengqiao.regions import geometry as geo
from fengqiao.regions.models import BoundarySource, Region, RegionBoundary


def overlapping_box(qs: Any, box: geo.Box) -> Any:
    """Rows of a boundary queryset whose bounding box meets ``box``."""
    return qs.filter(
        min_lon__lte=box.max_lon,
        max_lon__gte=box.min_lon,
        min_lat__lte=box.max_lat,
        max_lat__gte=box.min_lat,
    )


@transaction.atomic
def set_boundary(
    *,
    region: Region,
    geometry: str | dict[str, Any],
    source: str = BoundarySource.IMPORTED,
    note: str = "",
    check_parent: bool = True,
) -> RegionBoundary:
    """Store (or replace) a region's boundary.

    Refused with a Chinese message when the GeoJSON is not a valid polygon, when it reaches
    outside the parent region's boundary (where the parent has one and ``check_parent``), or
    when it overlaps the boundary of another child of the same parent.
    """
    if source not in BoundarySource.values:
        raise ValidationFailed(_("边界来源无效。"), field="source")
    geom = geo.parse_polygon(geometry)
    if check_parent and region.parent_id:
        parent = RegionBoundary.objects.filter(region_id=region.parent_id).first()
        if parent is not None:
            geo.check_within(
                geom, geo.from_geojson(parent.geometry), parent_name=region.parent.name
            )
    box = geo.bounds(geom)
    if region.parent_id:
        siblings = overlapping_box(
            RegionBoundary.objects.filter(region__parent_id=region.parent_id).exclude(
                region=region
            ),
            box,
        ).select_related("region")
        geo.check_no_overlap(
            geom, ((b.region.name, geo.from_geojson(b.geometry)) for b in siblings)
        )
    boundary = RegionBoundary.objects.filter(region=region).first() or RegionBoundary(region=region)
    boundary.geometry = geo.to_geojson(geom)
    boundary.source = source
    boundary.note = note[:200]
    boundary.set_box(geom.bounds, geo.area_km2(geom))
    boundary.save()
    return boundary


@transaction.atomic
def clear_boundary(*, region: Region) -> bool:
    """Remove a region's boundary; True if there was one."""
    deleted, _rows = RegionBoundary.objects.filter(region=region).delete()
    return bool(deleted)
