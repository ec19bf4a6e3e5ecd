"""Figures by place with filters, drill-down links, the regions below, and the 平安稳定指数."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from fengqiao.analytics import rollups, stability
from fengqiao.analytics.models import IndexDirty, RollupCell, StabilityIndex
from fengqiao.analytics.selectors import Filters, drill_url, level_view, parse_filters
from fengqiao.cases import services
from fengqiao.cases.choices import Action, Channel, Status
from fengqiao.cases.models import Category
from fengqiao.core.errors import DomainError

HANDLERS = ["fengqiao.analytics.rollups.on_case_event"]


def cells_snapshot() -> set:
    return {
        (c.path, c.month, c.category, c.channel, c.total, c.red, c.settled, c.on_time)
        for c in RollupCell.objects.exclude(total=0)
    }


@pytest.mark.django_db(transaction=True)
@override_settings(FENGQIAO_CASE_EVENT_HANDLERS=HANDLERS)
def test_cells_follow_each_change_and_equal_a_rebuild(world):
    from fengqiao.cases import hooks

    hooks.handlers.cache_clear()
    try:
        world.register(status=Status.ARCHIVED)
        b = world.register(status=Status.HANDLING, channel=Channel.PHONE)
        view = level_view(world.county, Filters())
        assert view.figures.total == 2 and view.figures.settled == 1
        services.transition(case=b, action=Action.RESOLVE, actor=world.justice_handler,
                            result="已化解")  # fmt: skip
        view = level_view(world.county, Filters())
        assert view.figures.settled == 2 and view.figures.on_time == 2
        # Each change marked the place's (path, month) pairs for the index.
        assert IndexDirty.objects.filter(path=world.village.path).exists()
        before = cells_snapshot()
        rollups.rebuild()
        assert cells_snapshot() == before
    finally:
        hooks.handlers.cache_clear()


@pytest.mark.django_db
def test_filters_narrow_the_figures_and_the_regions_below(world):
    default = world.register().category
    other = next(
        c for c in Category.objects.order_by("path")
        if not default.path.startswith(c.path) and not c.path.startswith(default.path)
    )  # fmt: skip
    world.register(status=Status.ARCHIVED, channel=Channel.PHONE)
    world.register(region=world.other_township.children.order_by("code").first(), category=other)
    rollups.rebuild()
    everything = level_view(world.county, Filters())
    assert everything.figures.total == 3
    by_phone = level_view(world.county, Filters(channel=Channel.PHONE))
    assert by_phone.figures.total == 1 and by_phone.figures.settled == 1
    assert [code for code, _name, _n in by_phone.by_channel] == ["phone"]
    by_cat = level_view(world.county, Filters(category=other))
    assert by_cat.figures.total == 1
    rows = {r.code: f.total for r, f in everything.children}
    assert rows[world.township.code] == 2 and rows[world.other_township.code] == 1
    # The township's own view splits by village.
    township = level_view(world.township, Filters())
    assert sum(f.total for _r, f in township.children) == 2


@pytest.mark.django_db
def test_drill_down_links_carry_the_case_lists_filters(world, client):
    case = world.register(channel=Channel.PHONE)
    rollups.rebuild()
    f = Filters(months=3, category=case.category, channel=Channel.PHONE)
    url = drill_url(world.county, f, risk="blue")
    parts = urlsplit(url)
    q = parse_qs(parts.query)
    assert parts.path == "/cases/"
    assert q["region"] == ["420923"] and q["channel"] == ["phone"] and q["risk"] == ["blue"]
    assert q["category"] == [str(case.category_id)] and "date_from" in q
    client.force_login(world.leader)
    listing = client.get(url)
    assert listing.status_code == 200 and case.code in listing.content.decode()


@pytest.mark.django_db
def test_parse_filters_falls_back_on_bad_input(world):
    f = parse_filters({"months": "7", "channel": "pigeon", "category": "x"})
    assert f == Filters()


@pytest.mark.django_db
def test_index_is_computed_incrementally_and_explained(world):
    world.register(status=Status.ARCHIVED)
    world.register(status=Status.HANDLING, risk_level="red")
    rollups.rebuild()
    stability.set_population(world.village, 2000)
    assert stability.compute_dirty() > 0
    assert stability.compute_dirty() == 0  # nothing left to do
    row = StabilityIndex.objects.get(path=world.village.path)
    assert row.total == 2 and row.red == 1 and row.population == 2000
    # The SQL score and the Python explanation agree, and contributions add up to 100.
    assert row.score == pytest.approx(stability.score_of(row), abs=0.01)
    parts = stability.explain(row)
    assert sum(c.points for c in parts) + row.score == pytest.approx(100, abs=0.01)
    red = next(c for c in parts if c.key == "red")
    assert red.value == 0.5 and red.pressure == 1.0
    density = next(c for c in parts if c.key == "density")
    assert density.value == 10.0  # 2 cases per 2,000 residents = 10 per 10,000
    # The county sums its villages (and its population is the village's).
    county = StabilityIndex.objects.get(path=world.county.path)
    assert county.total == 2 and county.population == 2000
    assert county.score == pytest.approx(row.score)


@pytest.mark.django_db
def test_new_weights_rescore_every_month_and_bad_weights_are_refused(world):
    world.register(status=Status.HANDLING, risk_level="red")
    rollups.rebuild()
    stability.compute_dirty()
    before = StabilityIndex.objects.get(path=world.village.path).score
    only_red = dict.fromkeys(stability.COMPONENTS, 0.0) | {"red": 1.0}
    stability.set_weights(only_red, actor=world.leader)
    after = StabilityIndex.objects.get(path=world.village.path)
    assert after.score == 0.0 and after.score != before  # one red case of one: full pressure
    with pytest.raises(DomainError):
        stability.set_weights({"red": "abc"}, actor=world.leader)
    with pytest.raises(DomainError):
        stability.set_weights(dict.fromkeys(stability.COMPONENTS, 0), actor=world.leader)
    assert stability.weights()["red"] == 1.0


@pytest.mark.django_db
def test_a_month_without_cases_scores_100(world):
    row = StabilityIndex(path="x.", month=dt.date(2026, 1, 1), level=1, score=0)
    assert stability.score_of(row) == 100
