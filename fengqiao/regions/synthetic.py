"""Synthetic boundaries for a demo: plausible shapes where no real boundary data is at hand.

The repository holds no real boundary of 云梦县 (or of any county): the demo draws its own.
They are **synthetic** — stored with ``source="synthetic"`` — and say nothing of where the
real townships and villages lie. How they are made (docs/grid.md):

- the county is an irregular closed shape around its approximate centre (a smooth random
  wobble of an ellipse, about the county's real size);
- each level is a Voronoi tessellation of its parent: seeds drawn inside the parent from a
  random generator seeded with the parent's code (so a second run draws the same shapes),
  moved a few times to the centroids of their cells (Lloyd's relaxation: even, compact
  cells), and every cell clipped to the parent. Children therefore tile their parent exactly,
  without overlap, and grids can be drawn the same way inside a village.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.prepared import prep

from fengqiao.regions import geometry as geo
from fengqiao.regions import services
from fengqiao.regions.models import BoundarySource, Level, Region, RegionBoundary

# Approximate centre and half-extent (degrees) of real counties used by demos.
COUNTY_SHAPES = {"420923": (113.753, 31.021, 0.155, 0.128)}  # 云梦县, about 600 km²
DEFAULT_SHAPE = (113.75, 31.0, 0.15, 0.12)
RELAXATION_ROUNDS = 3
NOTE = "合成边界（演示用，非真实界线）"


def _rng(code: str) -> random.Random:
    return random.Random(f"fengqiao-synthetic:{code}")


def county_shape(code: str, *, vertices: int = 72) -> Polygon:
    """A smooth irregular shape around the county's centre."""
    lon, lat, rx, ry = COUNTY_SHAPES.get(code, DEFAULT_SHAPE)
    rng = _rng(code)
    waves = [
        (rng.uniform(0.04, 0.12), rng.randint(2, 6), rng.uniform(0, math.tau)) for _ in range(4)
    ]
    points = []
    for i in range(vertices):
        angle = math.tau * i / vertices
        wobble = 1 + sum(a * math.sin(k * angle + phase) for a, k, phase in waves)
        points.append((lon + rx * wobble * math.cos(angle), lat + ry * wobble * math.sin(angle)))
    return Polygon(points).buffer(0)


def _random_point(rng: random.Random, polygon: Any) -> Point:
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    prepared = prep(polygon)
    for _attempt in range(10000):
        p = Point(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat))
        if prepared.contains(p):
            return p
    return polygon.representative_point()


def _polygonal(geom: Any) -> Any:
    """The polygon parts of a clipped cell (clipping can leave stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def tessellate(parent: Any, count: int, *, seed: str, first_at_centre: bool = False) -> list[Any]:
    """``count`` cells that tile ``parent`` exactly (clipped Voronoi cells of relaxed seeds),
    ordered from west-north to east-south so that sequence numbers read like a map."""
    if count <= 1:
        return [parent]
    rng = _rng(seed)
    seeds = [_random_point(rng, parent) for _ in range(count)]
    if first_at_centre:
        seeds[0] = parent.representative_point()
    envelope = parent.envelope.buffer(0.05)
    cells: list[Any] = []
    for round_no in range(RELAXATION_ROUNDS + 1):
        diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=envelope)
        by_seed = []
        for s in seeds:
            cell = next((c for c in diagram.geoms if c.covers(s)), None)
            by_seed.append(cell if cell is not None else s.buffer(1e-4))
        cells = [_polygonal(c.intersection(parent)) for c in by_seed]
        if round_no == RELAXATION_ROUNDS:
            break
        seeds = [
            (seeds[i] if (first_at_centre and i == 0) or c.is_empty else c.centroid)
            for i, c in enumerate(cells)
        ]
        seeds = [s if parent.contains(s) else parent.representative_point() for s in seeds]
    cells = [c for c in cells if not c.is_empty]
    if first_at_centre:
        head, rest = cells[:1], cells[1:]
    else:
        head, rest = [], cells
    rest.sort(key=lambda c: (-round(c.centroid.y, 2), c.centroid.x))
    return head + rest


def _store(region: Region, geom: Any) -> None:
    services.set_boundary(
        region=region,
        geometry=geo.to_geojson(geom),
        source=BoundarySource.SYNTHETIC,
        note=NOTE,
        check_parent=False,  # cells are clipped to the parent: within it up to rounding
    )


def synthesize_county(
    county: Region, *, log: Callable[[str], None] | None = None, replace: bool = False
) -> int:
    """Draw the county, its townships and their villages; return the boundaries written.

    Idempotent: a region that already has a boundary keeps it (its children are drawn inside
    it), unless ``replace``."""
    written = 0
    have = set(
        RegionBoundary.objects.filter(
            region__path__gte=county.path, region__path__lt=county.path + "~"
        ).values_list("region_id", flat=True)
    )
    if replace or county.code not in have:
        _store(county, county_shape(county.code))
        written += 1
    county_geom = geo.from_geojson(RegionBoundary.objects.get(region=county).geometry)
    townships = list(county.children.filter(level=Level.TOWNSHIP).order_by("code"))
    cells = tessellate(county_geom, len(townships), seed=county.code, first_at_centre=True)
    for township, cell in zip(townships, cells, strict=False):
        if replace or township.code not in have:
            _store(township, cell)
            written += 1
        township_geom = geo.from_geojson(RegionBoundary.objects.get(region=township).geometry)
        villages = list(township.children.filter(level=Level.VILLAGE).order_by("code"))
        village_cells = tessellate(township_geom, len(villages), seed=township.code)
        for village, vcell in zip(villages, village_cells, strict=False):
            if replace or village.code not in have:
                _store(village, vcell)
                written += 1
        if log:
            log(f"  boundaries: {township.name} and {len(villages)} villages")
    return written
