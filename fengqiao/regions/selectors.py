"""Reads of regions' boundaries as GeoJSON, for maps (grid management, risk maps).

- :func:`boundary_feature`: one region's boundary as a Feature (None without one);
- :func:`child_boundaries`: the boundaries of a region's children as a FeatureCollection,
  each Feature's ``properties`` holding ``code``, ``name``, ``level``, ``source`` and
  ``area_km2``, and the collection's ``parent`` (code, name) and ``missing`` (the children
  without a boundary, by code) — what a map of "the townships of this county" or "the
  villages of this township" draws;
- :func:`region_at`: the deepest region whose boundary holds a point.

Coordinates are WGS 84 longitude/latitude. Boundaries of the demo county are synthetic
(``source == "synthetic"``; docs/grid.md).
"""

from __future__ import annotations

from typing import Any

from fengqiao.regions import geometry as geo
from fengqiao.regions.models import Region, RegionBoundary


def _properties(region: Region, boundary: RegionBoundary) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "source": boundary.source,
        "area_km2": round(boundary.area_km2 or 0.0, 3),
    }


def boundary_feature(region: Region) -> dict[str, Any] | None:
    """The region's own boundary as a GeoJSON Feature, or None."""
    boundary = RegionBoundary.objects.filter(region=region).first()
    if boundary is None:
        return None
    return geo.feature(boundary.geometry, **_properties(region, boundary))


def child_boundaries(parent: Region) -> dict[str, Any]:
    """The parent's children's boundaries as one FeatureCollection (two queries)."""
    children = list(parent.children.order_by("code"))
    boundaries = {b.region_id: b for b in RegionBoundary.objects.filter(region__parent=parent)}
    features = [
        geo.feature(boundaries[c.code].geometry, **_properties(c, boundaries[c.code]))
        for c in children
        if c.code in boundaries
    ]
    return geo.collection(
        features,
        parent={"code": parent.code, "name": parent.name, "level": parent.level},
        missing=[c.code for c in children if c.code not in boundaries],
    )


def region_at(lon: float, lat: float, *, within: Region) -> Region | None:
    """The deepest region under ``within`` whose boundary holds the point (None if none)."""
    candidates = (
        RegionBoundary.objects.filter(
            region__path__gte=within.path,
            region__path__lt=within.path + "~",
            min_lon__lte=lon,
            max_lon__gte=lon,
            min_lat__lte=lat,
            max_lat__gte=lat,
        )
        .select_related("region")
        .order_by("-region__level")
    )
    for b in candidates:
        if geo.contains_point(geo.from_geojson(b.geometry), lon, lat):
            return b.region
    return None
