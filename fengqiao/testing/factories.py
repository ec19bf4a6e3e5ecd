"""Factories for tests and benchmarks: explicit states, no randomness in what matters."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Channel, PartyRole, Status
from fengqiao.cases.models import Case, Category
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.org.choices import Residency, Role, UnitKind, UnitType
from fengqiao.org.models import Membership, Unit, User
from fengqiao.org.naming import center_name_for
from fengqiao.regions.models import Region

_counter = itertools.count(1)
PASSWORD = "Fq-test-2026!"


def make_user(username: str | None = None, **extra) -> User:
    username = username or f"user{next(_counter)}"
    user = User(username=username, display_name=extra.pop("display_name", username), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_center(region: Region, name: str | None = None) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        region=region,
        name=name or center_name_for(region),
        defaults={"kind": UnitKind.CENTER, "unit_type": UnitType.CENTER},
    )
    return unit


def make_department(
    region: Region, unit_type: str, name: str | None = None, center: Unit | None = None
) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        region=region,
        name=name or f"{region.name}{UnitType(unit_type).label}",
        defaults={
            "kind": UnitKind.DEPARTMENT,
            "unit_type": unit_type,
            "center": center,
            "residency": Residency.RESIDENT,
        },
    )
    return unit


def grant(user: User, unit: Unit, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    for attr in ("_fq_memberships",):
        if hasattr(user, attr):
            delattr(user, attr)
    return membership


def staff(unit: Unit, role: str, username: str | None = None) -> User:
    user = make_user(username or f"{role}{next(_counter)}")
    grant(user, unit, role)
    return user


def category(code: str = "dispute.neighbor") -> Category:
    cat = Category.objects.filter(code=code).first()
    if cat:
        return cat
    root, _ = Category.objects.get_or_create(
        code="dispute", defaults={"name": "矛盾纠纷", "kind": "dispute"}
    )
    cat, _ = Category.objects.get_or_create(
        code=code,
        defaults={"name": "邻里纠纷", "kind": "dispute", "parent": root, "unit_types": ["justice"]},
    )
    return cat


@dataclass
class World:
    """A county (云梦县) with a county center, two township centers, a village center,
    departments and one staff user per role."""

    county: Region
    township: Region
    other_township: Region
    village: Region
    county_center: Unit
    township_center: Unit
    other_township_center: Unit
    village_center: Unit
    police: Unit
    justice: Unit
    other_county_center: Unit
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def register(self, *, status: str = Status.REGISTERED, **kwargs) -> Case:
        return make_case(self, status=status, **kwargs)


def build_world() -> World:
    county = Region.objects.get(code="420923")
    township = Region.objects.get(code="420923100")  # 城关镇
    other_township = Region.objects.get(code="420923101")  # 义堂镇
    village = township.children.order_by("code").first()
    other_county = Region.objects.get(code="420902")
    county_center = make_center(county)
    world = World(
        county=county,
        township=township,
        other_township=other_township,
        village=village,
        county_center=county_center,
        township_center=make_center(township),
        other_township_center=make_center(other_township),
        village_center=make_center(village),
        police=make_department(county, UnitType.PUBLIC_SECURITY, "云梦县公安局", county_center),
        justice=make_department(county, UnitType.JUSTICE, "云梦县司法局", county_center),
        other_county_center=make_center(other_county),
    )
    c = county_center
    world.users = {
        "receptionist": staff(c, Role.RECEPTIONIST, "receptionist"),
        "dispatcher": staff(c, Role.DISPATCHER, "dispatcher"),
        "director": staff(c, Role.DIRECTOR, "director"),
        "supervisor": staff(c, Role.SUPERVISOR, "supervisor"),
        "leader": staff(c, Role.LEADER, "leader"),
        "mediator": staff(c, Role.MEDIATOR, "mediator"),
        "police_handler": staff(world.police, Role.HANDLER, "police_handler"),
        "justice_handler": staff(world.justice, Role.HANDLER, "justice_handler"),
        "township_dispatcher": staff(world.township_center, Role.DISPATCHER, "township_dispatcher"),
        "township_handler": staff(world.township_center, Role.HANDLER, "township_handler"),
        "township_director": staff(world.township_center, Role.DIRECTOR, "township_director"),
        "village_grid_worker": staff(world.village_center, Role.GRID_WORKER, "grid_worker"),
        "other_dispatcher": staff(world.other_county_center, Role.DISPATCHER, "other_dispatcher"),
        "other_township_dispatcher": staff(
            world.other_township_center, Role.DISPATCHER, "other_township_dispatcher"
        ),
    }
    return world


def register(
    *,
    actor: User | None,
    door: Door = Door.WINDOW,
    key: str | None = None,
    now: dt.datetime | None = None,
    parties: list[PartyIn] | tuple[PartyIn, ...] = (),
    risk_level: str = "",
    **fields,
) -> Case:
    """Register an appeal through intake, as a door would (``fields`` are AppealIn's;
    ``risk_level`` is the registrar's floor)."""
    appeal = AppealIn(parties=tuple(parties), risk_floor=risk_level, **fields)
    return register_appeal(appeal=appeal, door=door, actor=actor, key=key, now=now).case


def make_case(
    world: World,
    *,
    status: str = Status.REGISTERED,
    center: Unit | None = None,
    region: Region | None = None,
    title: str = "邻里因排水沟堵塞发生纠纷",
    description: str = "楼上住户排水沟堵塞导致楼下渗水，多次协商未果，请求调解。",
    phone: str = "13800138000",
    id_number: str = "",
    lead_unit: Unit | None = None,
    now: dt.datetime | None = None,
    **kwargs,
) -> Case:
    """Register a case and walk it along the table to ``status`` with the world's staff."""
    center = center or world.county_center
    region = region or world.village
    case = register(
        actor=world.receptionist if center == world.county_center else None,
        door=Door.WINDOW if center == world.county_center else Door.PORTAL,
        center=center,
        channel=kwargs.pop("channel", Channel.WINDOW),
        title=title,
        description=description,
        region=region,
        category=kwargs.pop("category", None) or category(),
        parties=kwargs.pop(
            "parties",
            [PartyIn(name="张三", role=PartyRole.APPLICANT, phone=phone, id_number=id_number)],
        ),
        now=now,
        **kwargs,
    )
    lead_unit = lead_unit or world.justice
    handler = world.justice_handler if lead_unit == world.justice else world.police_handler
    path = {
        Status.REGISTERED: [],
        Status.MEDIATING: [Action.MEDIATE],
        Status.DISPATCHED: [Action.DISPATCH],
        Status.HANDLING: [Action.DISPATCH, Action.SIGN],
        Status.RESOLVED: [Action.DISPATCH, Action.SIGN, Action.RESOLVE],
        Status.CLOSED: [Action.DISPATCH, Action.SIGN, Action.RESOLVE, Action.CLOSE],
        Status.ARCHIVED: [
            Action.DISPATCH,
            Action.SIGN,
            Action.RESOLVE,
            Action.CLOSE,
            Action.ARCHIVE,
        ],
        Status.REJECTED: [Action.REJECT],
        Status.WITHDRAWN: [Action.WITHDRAW],
    }[status]
    for action in path:
        actor = {
            Action.MEDIATE: world.mediator,
            Action.DISPATCH: world.dispatcher,
            Action.SIGN: handler,
            Action.RESOLVE: handler,
            Action.CLOSE: world.director,
            Action.ARCHIVE: world.director,
            Action.REJECT: world.receptionist,
            Action.WITHDRAW: world.receptionist,
        }[action]
        case = case_services.transition(
            case=case,
            action=action,
            actor=actor,
            lead_unit=lead_unit,
            note="测试说明",
            result="已调解，双方达成协议" if action == Action.RESOLVE else "",
            satisfaction="satisfied" if action == Action.ARCHIVE else "",
            now=timezone.now() if now is None else now,
        )
    return case
