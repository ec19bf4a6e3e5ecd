"""Boundaries: GeoJSON read and checked with shapely, stored for regions and grids."""

from __future__ import annotations

import json

import pytest

from fengqiao.core.errors import ValidationFailed
from fengqiao.grid.services import grids as grid_services
from fengqiao.grid.testing import square
from fengqiao.regions import geometry as geo
from fengqiao.regions.models import Grid, RegionBoundary
from fengqiao.regions.selectors import child_boundaries, region_at

pytestmark = pytest.mark.django_db

BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [
            [113.700, 31.000],
            [113.705, 31.005],
            [113.705, 31.000],
            [113.700, 31.005],
            [113.700, 31.000],
        ]
    ],
}


def test_a_self_intersecting_boundary_is_refused_with_where_it_crosses(gw):
    with pytest.raises(ValidationFailed) as exc:
        grid_services.set_grid_boundary(actor=gw.world.director, grid=gw.grid, boundary=BOWTIE)
    assert "自相交" in str(exc.value.message) and "113.70" in str(exc.value.message)
    gw.grid.refresh_from_db()
    assert geo.from_geojson(gw.grid.boundary).bounds == (113.70, 31.00, 113.71, 31.02)  # kept


@pytest.mark.parametrize(
    "data, words",
    [
        ("{not json", "不是有效的GeoJSON"),
        ('{"type": "Point", "coordinates": [113.7, 31.0]}', "Polygon"),
        (
            {"type": "Polygon", "coordinates": [[[200, 31], [201, 31], [201, 32], [200, 31]]]},
            "超出经纬度范围",
        ),
        ('{"type": "FeatureCollection", "features": []}', "没有要素"),
        ("\x00", "非法字符"),
    ],
)
def test_bad_geojson_gets_a_clear_chinese_error(data, words):
    with pytest.raises(ValidationFailed) as exc:
        geo.parse_polygon(data)
    assert words in str(exc.value.message)


def test_a_grid_must_lie_inside_its_village_and_not_overlap_a_sibling(gw):
    outside = square(113.715, 31.00, 113.73, 31.02)  # half of it beyond the village
    with pytest.raises(ValidationFailed) as exc:
        grid_services.create_grid(
            actor=gw.world.director, village=gw.world.village, name="第三网格", boundary=outside
        )
    assert "超出了" in str(exc.value.message)
    overlapping = square(113.705, 31.00, 113.715, 31.01)
    with pytest.raises(ValidationFailed) as exc:
        grid_services.create_grid(
            actor=gw.world.director, village=gw.world.village, name="第三网格", boundary=overlapping
        )
    assert "第一网格" in str(exc.value.message) and "重叠" in str(exc.value.message)
    assert Grid.objects.filter(region=gw.world.village).count() == 2


def test_a_feature_collection_of_the_same_edge_shared_by_neighbours_is_accepted(gw):
    # Replacing the east grid by itself as a Feature in a collection (edge shared with west).
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": square(113.71, 31.00, 113.72, 31.02)}
        ],
    }
    grid = grid_services.set_grid_boundary(
        actor=gw.world.director, grid=gw.east, boundary=json.dumps(fc), source="imported"
    )
    assert grid.boundary_source == "imported"
    assert 2.0 < grid.area_km2 < 2.25  # 0.01° × 0.02° at 31°N ≈ 2.13 km²


def test_region_boundaries_per_parent_as_a_feature_collection(gw):
    fc = child_boundaries(gw.world.township)
    assert fc["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in fc["features"]]
    assert codes == [gw.world.village.code]
    assert fc["features"][0]["properties"]["source"] == "synthetic"
    assert gw.world.village.code not in fc["missing"] and len(fc["missing"]) > 5


def test_a_village_boundary_outside_its_township_or_over_a_sibling_is_refused(gw):
    from fengqiao.regions import services as region_services

    sibling = gw.world.township.children.order_by("code")[1]
    with pytest.raises(ValidationFailed) as exc:
        region_services.set_boundary(region=sibling, geometry=square(113.71, 31.01, 113.73, 31.03))
    assert gw.world.village.name in str(exc.value.message)
    with pytest.raises(ValidationFailed) as exc:
        region_services.set_boundary(region=sibling, geometry=square(113.0, 30.0, 113.1, 30.1))
    assert "超出了" in str(exc.value.message)
    assert not RegionBoundary.objects.filter(region=sibling).exists()


def test_region_at_finds_the_deepest_region_holding_a_point(gw):
    assert region_at(113.705, 31.01, within=gw.world.county) == gw.world.village
    assert region_at(113.60, 30.90, within=gw.world.county) == gw.world.county
    assert region_at(100.0, 20.0, within=gw.world.county) is None


def test_synthetic_boundaries_tile_the_county_exactly(world):
    import shapely

    from fengqiao.regions.synthetic import synthesize_county

    written = synthesize_county(world.county)
    assert written == 1 + 12 + world.county.subtree().filter(level=5).count()
    assert synthesize_county(world.county) == 0  # a second run keeps them
    county = geo.from_geojson(RegionBoundary.objects.get(region=world.county).geometry)
    townships = [
        geo.from_geojson(b.geometry)
        for b in RegionBoundary.objects.filter(region__parent=world.county)
    ]
    assert shapely.union_all(townships).symmetric_difference(county).area < 1e-6 * county.area
    villages = [
        geo.from_geojson(b.geometry)
        for b in RegionBoundary.objects.filter(region__parent=world.township)
    ]
    for i, a in enumerate(villages):
        for b in villages[i + 1 :]:
            assert a.intersection(b).area < 1e-9
