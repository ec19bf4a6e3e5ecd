import pytest


@pytest.fixture(autouse=True)
def _fresh_routing_caches():
    from fengqiao.routing.classification import reset_caches

    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def route(world):
    """Register and route a case at the county center with sensible defaults."""
    from fengqiao.intake.types import PartyIn
    from fengqiao.testing.factories import register

    def _route(**kw):
        params = {
            "actor": world.receptionist,
            "center": world.county_center,
            "channel": "window",
            "title": "邻里纠纷",
            "description": "楼上住户装修噪音扰民，多次协商未果。",
            "region": world.village,
            "parties": [PartyIn(name="王五", phone="13900000001")],
        }
        phone = kw.pop("phone", None)
        if phone is not None:
            params["parties"] = [PartyIn(name="王五", phone=phone)]
        params.update(kw)
        return register(**params)

    return _route
