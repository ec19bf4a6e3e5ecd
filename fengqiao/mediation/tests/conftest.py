import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.cases.choices import PartyRole
from fengqiao.intake.types import PartyIn
from fengqiao.mediation import services
from fengqiao.mediation.choices import OrganizationKind, ProviderKind
from fengqiao.testing.factories import category

# A 1x1 PNG, as a signature pad would send.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
APPLICANT_PHONE = "13800138000"
RESPONDENT_PHONE = "13911112222"


@pytest.fixture
def med(world):
    return build_med(world)


def build_med(world):
    """The county center's mediation: a committee, two mediators, a legal expert, rooms."""
    center = world.county_center
    committee = services.create_organization(
        center=center,
        name="云梦县人民调解委员会",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        actor=world.director,
    )
    zhou = services.save_mediator(
        data=services.MediatorIn(
            name="周桂兰",
            center=center,
            organization=committee,
            user=world.mediator,
            specialties=[category("dispute.neighbor")],
            languages=["普通话", "云梦话"],
            availability=[(0, dt.time(9), dt.time(12))],
        ),
        actor=world.director,
    )
    li = services.save_mediator(
        data=services.MediatorIn(name="李德明", center=center, organization=committee),
        actor=world.director,
    )
    expert = services.save_mediator(
        data=services.MediatorIn(
            name="胡律师", center=center, kind=ProviderKind.LEGAL_EXPERT, is_chief=True
        ),
        actor=world.director,
    )
    room = services.create_room(center=center, name="第一调解室", actor=world.director)
    online = services.create_room(center=center, name="第二调解室", actor=world.director)

    class Med:
        pass

    m = Med()
    m.committee, m.zhou, m.li, m.expert, m.room, m.room2 = committee, zhou, li, expert, room, online
    return m


def two_party_case(world, **kwargs):
    return world.register(
        parties=[
            PartyIn(name="张三", role=PartyRole.APPLICANT, phone=APPLICANT_PHONE),
            PartyIn(name="李四", role=PartyRole.RESPONDENT, phone=RESPONDENT_PHONE),
        ],
        **kwargs,
    )


@pytest.fixture
def case(world):
    return two_party_case(world)


def at(days: int = 1, hour: int = 9) -> dt.datetime:
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + dt.timedelta(days=days)
