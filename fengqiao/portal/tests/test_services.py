import pytest
from django.test import override_settings

from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.core.errors import ValidationFailed
from fengqiao.org.models import Unit
from fengqiao.portal import services
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db


def _appeal(region, **kwargs):
    defaults = {
        "kind": "dispute",
        "description": "邻居家的狗夜里一直叫，影响休息，多次沟通无效。",
        "region": region,
        "phone": "13912345678",
    }
    defaults.update(kwargs)
    return services.Appeal(**defaults)


def test_nearest_center_goes_up_the_ancestors(world):
    # A village with its own center: that center.
    assert services.nearest_center(world.village) == world.village_center
    # Another village of the same township, without a center: the township center.
    other_village = world.township.children.exclude(code=world.village.code).first()
    assert services.nearest_center(other_village) == world.township_center
    # A township without a center: the county center.
    bare = (
        Region.objects.filter(parent=world.county)
        .exclude(code__in=[world.township.code, world.other_township.code])
        .first()
    )
    assert services.nearest_center(bare) == world.county_center


def test_inactive_centers_are_skipped(world):
    Unit.objects.filter(pk=world.village_center.pk).update(is_active=False)
    assert services.nearest_center(world.village) == world.township_center


def test_a_chosen_center_must_cover_the_place(world):
    with pytest.raises(ValidationFailed):
        services.center_for(world.other_township, world.township_center)
    assert services.center_for(world.village, world.township_center) == world.township_center


def test_submit_registers_for_the_citizen(world):
    case = services.submit_appeal(appeal=_appeal(world.village, address="解放路1号"), ip="10.0.0.1")
    assert case.center == world.village_center
    assert case.channel == Channel.WEB
    assert case.registered_by is None
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    assert applicant.phone_last4 == "5678"
    assert applicant.name == "群众"
    assert case.events.first().actor is None


def test_submit_through_a_poster_is_a_qr_case_of_that_center(world):
    case = services.submit_appeal(
        appeal=_appeal(world.village, center=world.county_center, via_qr=True), ip="10.0.0.1"
    )
    assert case.center == world.county_center
    assert case.channel == Channel.QR


def test_phone_throttle_counts_per_day(world):
    for _ in range(services.limit("phone_per_day")):
        services.submit_appeal(appeal=_appeal(world.township), ip="10.0.0.1")
    with pytest.raises(services.Throttled) as refused:
        services.submit_appeal(appeal=_appeal(world.township), ip="10.0.0.2")
    assert "每天最多提交5件" in str(refused.value.message)
    # Another phone from another address is not affected.
    services.submit_appeal(appeal=_appeal(world.township, phone="13700001111"), ip="10.0.0.3")


@override_settings(FENGQIAO_PORTAL_LIMITS={"ip_per_hour": 2})
def test_ip_throttle_counts_per_hour(world):
    services.submit_appeal(appeal=_appeal(world.township, phone="13700000001"), ip="10.9.9.9")
    services.submit_appeal(appeal=_appeal(world.township, phone="13700000002"), ip="10.9.9.9")
    with pytest.raises(services.Throttled):
        services.submit_appeal(appeal=_appeal(world.township, phone="13700000003"), ip="10.9.9.9")


def test_a_refused_submission_does_not_count(world):
    with pytest.raises(ValidationFailed):
        services.submit_appeal(appeal=_appeal(world.township, phone="12345"), ip="10.0.0.1")
    assert services._count(services._ip_key("10.0.0.1")) == 0
