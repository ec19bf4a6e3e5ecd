"""The demo's analytics section: populations, the index, warnings; a second run adds nothing."""

from types import SimpleNamespace

import pytest

from fengqiao.analytics import rollups
from fengqiao.analytics.models import RegionPopulation, StabilityIndex
from fengqiao.cases.choices import Status
from fengqiao.demo import analytics as demo

pytestmark = pytest.mark.django_db


def test_demo_section_is_idempotent(world):
    world.register(status=Status.ARCHIVED)
    rollups.rebuild()
    lines: list[str] = []
    org = SimpleNamespace(county=world.county)
    demo.build(org, log=lines.append)
    villages = RegionPopulation.objects.filter(path__startswith=world.county.path).count()
    assert villages > 10 and StabilityIndex.objects.filter(path=world.county.path).exists()
    county = RegionPopulation.objects.get(region=world.county)
    township = RegionPopulation.objects.get(region=world.township)
    assert 0 < township.population < county.population
    score = StabilityIndex.objects.get(path=world.village.path)
    assert score.population == demo.population_of(world.village)
    lines.clear()
    demo.build(org, log=lines.append)
    assert "populations: 0 villages new" in lines[0] and "0 region-months" in lines[1]
