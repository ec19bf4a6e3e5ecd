"""Fixtures of participation's tests: the grid world (a village with two grids and their
workers), a village director, two residents of the west grid."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from fengqiao.grid.testing import GridWorld, build_grid_world
from fengqiao.org.choices import Role
from fengqiao.org.models import User
from fengqiao.participation.models import Citizen
from fengqiao.participation.services.points import ensure_default_rules
from fengqiao.participation.testing import citizen
from fengqiao.testing.factories import staff


@dataclass
class PW:
    gw: GridWorld
    director: User
    alice: Citizen
    bob: Citizen

    @property
    def village(self):
        return self.gw.world.village


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pw(world, settings, tmp_path) -> PW:
    settings.MEDIA_ROOT = str(tmp_path)
    gw = build_grid_world(world)
    ensure_default_rules()
    director = staff(world.village_center, Role.DIRECTOR, "village_director")
    return PW(
        gw=gw,
        director=director,
        alice=citizen("13800000001", world.village, gw.grid, "张三"),
        bob=citizen("13800000002", world.village, gw.grid, "李四"),
    )
