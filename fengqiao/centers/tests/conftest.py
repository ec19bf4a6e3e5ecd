from __future__ import annotations

import pytest

from fengqiao.centers.testing import CentersWorld, build_centers_world


@pytest.fixture
def cw(world) -> CentersWorld:
    return build_centers_world(world)
