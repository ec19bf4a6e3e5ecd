"""Fixtures of grid management's tests: the world with boundaries and two grids in one village."""

from __future__ import annotations

import pytest

from fengqiao.grid.testing import GridWorld, build_grid_world, square  # noqa: F401 - used by tests


@pytest.fixture
def gw(world) -> GridWorld:
    return build_grid_world(world)
