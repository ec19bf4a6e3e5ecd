"""A small grid world for tests and browser tests: boundaries for the county, township and
village of the test world, and two grids (west | east) in the village, each with a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry import box

from fengqiao.grid.choices import Employment, GridPost
from fengqiao.grid.services import grids as grid_services
from fengqiao.org.choices import Role
from fengqiao.org.models import User
from fengqiao.regions import geometry as geo
from fengqiao.regions import services as region_services
from fengqiao.regions.models import BoundarySource, Grid
from fengqiao.testing.factories import staff

VILLAGE_BOX = (113.70, 31.00, 113.72, 31.02)
COUNTY_BOX = (113.55, 30.85, 113.95, 31.20)
TOWNSHIP_BOX = (113.65, 30.95, 113.80, 31.10)


def square(*bounds: float) -> dict[str, Any]:
    return geo.to_geojson(box(*bounds))


@dataclass
class GridWorld:
    world: Any
    grid: Grid
    east: Grid
    worker: User
    other_worker: User


def build_grid_world(world: Any) -> GridWorld:
    for region, bounds in (
        (world.county, COUNTY_BOX),
        (world.township, TOWNSHIP_BOX),
        (world.village, VILLAGE_BOX),
    ):
        region_services.set_boundary(
            region=region, geometry=square(*bounds), source=BoundarySource.SYNTHETIC
        )
    west = grid_services.create_grid(
        actor=world.director,
        village=world.village,
        name="第一网格",
        boundary=square(113.70, 31.00, 113.71, 31.02),
        party_branch="第一网格党小组",
    )
    east = grid_services.create_grid(
        actor=world.director,
        village=world.village,
        name="第二网格",
        boundary=square(113.71, 31.00, 113.72, 31.02),
    )
    worker = world.village_grid_worker
    grid_services.add_worker(
        actor=world.director,
        grid=west,
        name="胡小兵",
        post=GridPost.WORKER,
        employment=Employment.FULL_TIME,
        phone="13900001111",
        user=worker,
    )
    other = staff(world.village_center, Role.GRID_WORKER, "grid_worker_east")
    grid_services.add_worker(
        actor=world.director,
        grid=east,
        name="王二",
        post=GridPost.WORKER,
        phone="13900002222",
        user=other,
    )
    return GridWorld(world=world, grid=west, east=east, worker=worker, other_worker=other)
