"""Boundaries as GeoJSON (WGS 84 longitude/latitude), read and checked with shapely.

Regions and grids store their boundary as a GeoJSON geometry (``Polygon`` or
``MultiPolygon``) in a JSON column, with its bounding box in four plain columns so that "which
boundaries could hold this point" is an index range before any geometry is read. The checks
here give a clear Chinese message naming what is wrong and where:

- :func:`parse_polygon` reads a Geometry, a Feature or a FeatureCollection (the union of its
  polygons), as text or parsed, and refuses anything that is not a valid polygon in range;
- :func:`check_within` refuses a boundary that reaches outside its parent's;
- :func:`check_no_overlap` refuses one that overlaps a sibling's.

Areas compare in square degrees with a relative tolerance (:data:`TOLERANCE`), so that shared
edges rounded to six decimals (about 0.1 m) neither overlap nor leave their parent.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.prepared import prep
from shapely.validation import explain_validity

from fengqiao.core.errors import ValidationFailed

TOLERANCE = 1e-3  # of the smaller area: what rounding of shared edges may account for
MAX_VERTICES = 20000
MAX_TEXT = 2_000_000  # characters of GeoJSON text accepted at once
DECIMALS = 6  # about 0.1 m
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Box:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat


def _load(data: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(data, str):
        if "\x00" in data:
            raise ValidationFailed(_("边界数据含有非法字符。"), field="boundary")
        if len(data) > MAX_TEXT:
            raise ValidationFailed(_("边界数据过大（超过2MB）。"), field="boundary")
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ValidationFailed(
                _("边界不是有效的GeoJSON：%(error)s") % {"error": exc}, field="boundary"
            ) from exc
    if not isinstance(data, dict) or "type" not in data:
        raise ValidationFailed(_("边界应为GeoJSON对象（含type字段）。"), field="boundary")
    return data


def _geometries(data: dict[str, Any]) -> list[dict[str, Any]]:
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationFailed(_("FeatureCollection中没有要素。"), field="boundary")
        out = []
        for f in features:
            if not isinstance(f, dict) or not isinstance(f.get("geometry"), dict):
                raise ValidationFailed(_("要素缺少geometry。"), field="boundary")
            out.append(f["geometry"])
        return out
    if kind == "Feature":
        if not isinstance(data.get("geometry"), dict):
            raise ValidationFailed(_("要素缺少geometry。"), field="boundary")
        return [data["geometry"]]
    return [data]


def _shape(geometry: dict[str, Any]) -> Polygon | MultiPolygon:
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationFailed(
            _("边界应为面（Polygon或MultiPolygon），收到的是“%(type)s”。")
            % {"type": str(geometry.get("type"))[:40]},
            field="boundary",
        )
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise ValidationFailed(
            _("边界坐标格式有误：%(error)s") % {"error": str(exc)[:200]}, field="boundary"
        ) from exc
    return geom


def parse_polygon(data: str | dict[str, Any]) -> Polygon | MultiPolygon:
    """A valid polygon (or several) from GeoJSON, or a :class:`ValidationFailed` saying why."""
    parts = [_shape(g) for g in _geometries(_load(data))]
    geom = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    if geom.is_empty:
        raise ValidationFailed(_("边界为空。"), field="boundary")
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise ValidationFailed(
            _("边界顶点过多（超过%(n)d个），请先简化。") % {"n": MAX_VERTICES}, field="boundary"
        )
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not all(math.isfinite(v) for v in geom.bounds):
        raise ValidationFailed(_("边界坐标不是有限数值。"), field="boundary")
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise ValidationFailed(
            _("边界坐标超出经纬度范围（经度-180～180，纬度-90～90），请确认是WGS84经纬度。"),
            field="boundary",
        )
    if not geom.is_valid:
        raise ValidationFailed(_describe_invalid(geom), field="boundary")
    if not isinstance(geom, (Polygon, MultiPolygon)) or geom.area <= 0:
        raise ValidationFailed(_("边界面积为零。"), field="boundary")
    return geom


def _describe_invalid(geom: Any) -> str:
    reason = explain_validity(geom)  # e.g. "Self-intersection[113.7 31.0]"
    where = ""
    if "[" in reason:
        coords = reason[reason.index("[") + 1 : reason.rindex("]")].split()
        if len(coords) >= 2:
            where = _("（位置约：经度%(lon)s，纬度%(lat)s）") % {
                "lon": f"{float(coords[0]):.6f}",
                "lat": f"{float(coords[1]):.6f}",
            }
    if reason.startswith(("Self-intersection", "Ring Self-intersection")):
        return _("边界自相交%(where)s，请检查边界线是否交叉。") % {"where": where}
    if reason.startswith("Too few points"):
        return _("边界的点太少，至少需要三个不同的点。")
    if reason.startswith("Hole lies outside shell"):
        return _("边界的内洞位于外边界之外%(where)s。") % {"where": where}
    return _("边界不是有效的面%(where)s：%(reason)s") % {"where": where, "reason": reason}


def check_within(geom: Any, parent: Any, *, parent_name: str) -> None:
    """Refuse a boundary that reaches outside its parent's (beyond rounding)."""
    outside = geom.difference(parent).area
    if outside > TOLERANCE * geom.area:
        share = outside / geom.area
        raise ValidationFailed(
            _("边界超出了%(parent)s的范围（约%(share)s%%在外）。")
            % {"parent": parent_name, "share": f"{share * 100:.1f}"},
            field="boundary",
        )


def check_no_overlap(geom: Any, siblings: Iterable[tuple[str, Any]]) -> None:
    """Refuse a boundary that overlaps any sibling's (beyond rounding); name the first."""
    prepared = prep(geom)
    for name, other in siblings:
        if not prepared.intersects(other):
            continue
        shared = geom.intersection(other).area
        if shared > TOLERANCE * min(geom.area, other.area):
            raise ValidationFailed(
                _("边界与“%(name)s”重叠（约%(km2)s平方公里），同级边界不能重叠。")
                % {"name": name, "km2": f"{area_km2(geom.intersection(other)):.3f}"},
                field="boundary",
            )


def to_geojson(geom: Any) -> dict[str, Any]:
    """The GeoJSON geometry, coordinates rounded to :data:`DECIMALS`."""
    rounded = shapely.set_precision(geom, 10**-DECIMALS)
    if rounded.is_empty or not rounded.is_valid:  # a sliver lost to rounding: keep it as it was
        rounded = geom
    out = mapping(rounded)
    return json.loads(json.dumps(out))  # tuples → lists, as stored in JSON


def from_geojson(data: dict[str, Any]) -> Any:
    """The shapely geometry of a stored boundary (trusted: it was checked when stored)."""
    return shape(data)


def bounds(geom: Any) -> Box:
    return Box(*geom.bounds)


def area_km2(geom: Any) -> float:
    """Area in square kilometres (an equirectangular estimate at the boundary's latitude:
    within 0.5 % for a county-sized shape)."""
    if geom.is_empty:
        return 0.0
    lat = geom.centroid.y
    return geom.area * KM_PER_DEGREE * KM_PER_DEGREE * math.cos(math.radians(lat))


def contains_point(geom: Any, lon: float, lat: float) -> bool:
    """Whether the point lies inside or on the edge of the boundary."""
    return bool(geom.covers(Point(lon, lat)))


def feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, **extra}
