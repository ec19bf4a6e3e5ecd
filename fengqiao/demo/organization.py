"""The demo county's organization: centers at every level, departments, staff per role."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from fengqiao.demo.people import person
from fengqiao.org.choices import Residency, Role, UnitKind, UnitType
from fengqiao.org.models import Membership, Unit, User
from fengqiao.org.naming import center_name_for
from fengqiao.regions.models import Level, Region

COUNTY_CODE = "420923"  # 湖北省孝感市云梦县
DEMO_PASSWORD = "Fengqiao@2026"

DEPARTMENTS = [
    (UnitType.PUBLIC_SECURITY, "云梦县公安局", Residency.RESIDENT),
    (UnitType.COURT, "云梦县人民法院", Residency.ROTATING),
    (UnitType.PROCURATORATE, "云梦县人民检察院", Residency.ON_CALL),
    (UnitType.JUSTICE, "云梦县司法局", Residency.RESIDENT),
    (UnitType.PETITION, "云梦县信访局", Residency.RESIDENT),
    (UnitType.HUMAN_RESOURCES, "云梦县人力资源和社会保障局", Residency.RESIDENT),
    (UnitType.HOUSING, "云梦县住房和城乡建设局", Residency.ROTATING),
    (UnitType.NATURAL_RESOURCES, "云梦县自然资源和规划局", Residency.ON_CALL),
    (UnitType.HEALTH, "云梦县卫生健康局", Residency.ON_CALL),
    (UnitType.MARKET, "云梦县市场监督管理局", Residency.ROTATING),
    (UnitType.EDUCATION, "云梦县教育局", Residency.ON_CALL),
    (UnitType.CIVIL_AFFAIRS, "云梦县民政局", Residency.ROTATING),
    (UnitType.WOMEN_FEDERATION, "云梦县妇女联合会", Residency.RESIDENT),
    (UnitType.ENVIRONMENT, "孝感市生态环境局云梦县分局", Residency.ON_CALL),
    (UnitType.TRANSPORT, "云梦县交通运输局", Residency.ON_CALL),
    (UnitType.AGRICULTURE, "云梦县农业农村局", Residency.ON_CALL),
    (UnitType.URBAN_MANAGEMENT, "云梦县城市管理执法局", Residency.ROTATING),
    (UnitType.EMERGENCY, "云梦县应急管理局", Residency.ON_CALL),
]

# Handlers for the departments the printed list leaves out (username, name, unit type).
DEPARTMENT_HANDLERS = [
    ("fayuan", "刘静", UnitType.COURT),
    ("jianchayuan", "邓宏", UnitType.PROCURATORATE),
    ("ziranziyuan", "汪涛", UnitType.NATURAL_RESOURCES),
    ("weijian", "程敏", UnitType.HEALTH),
    ("shichang", "万军", UnitType.MARKET),
    ("jiaoyu", "涂丽华", UnitType.EDUCATION),
    ("minzheng", "喻春燕", UnitType.CIVIL_AFFAIRS),
    ("fulian", "聂红梅", UnitType.WOMEN_FEDERATION),
    ("huanjing", "熊斌", UnitType.ENVIRONMENT),
    ("jiaotong", "雷鹏", UnitType.TRANSPORT),
    ("nongye", "龚建军", UnitType.AGRICULTURE),
    ("chengguanju", "肖峰", UnitType.URBAN_MANAGEMENT),
    ("yingji", "蔡志强", UnitType.EMERGENCY),
]

# Short names for the usernames of each township's staff ({slug}_fenliu and so on).
TOWNSHIP_SLUGS = {
    "420923100": "chengguan",
    "420923101": "yitang",
    "420923102": "zengdian",
    "420923103": "wupu",
    "420923104": "wuluo",
    "420923105": "xiaxindian",
    "420923106": "daoqiao",
    "420923107": "geputan",
    "420923108": "hujindian",
    "420923200": "daodian",
    "420923201": "shahe",
    "420923202": "qingminghe",
}
# Each township center's staff: (username suffix, role).
TOWNSHIP_ROLES = [
    ("jiedai", Role.RECEPTIONIST),
    ("fenliu", Role.DISPATCHER),
    ("chengban", Role.HANDLER),
    ("zhuren", Role.DIRECTOR),
    ("tiaojie", Role.MEDIATOR),
    ("duban", Role.SUPERVISOR),
    ("lingdao", Role.LEADER),
]
# County leaders who take red cases (包案领导).
COUNTY_LEADERS = [("lingdao2", "陈德华"), ("lingdao3", "杨卫东")]

# (username, display name, role, unit key)
STAFF = [
    ("admin", "系统管理员", Role.ADMIN, "county"),
    ("jiedai", "陈晓燕", Role.RECEPTIONIST, "county"),
    ("fenliu", "刘建国", Role.DISPATCHER, "county"),
    ("zhuren", "王志强", Role.DIRECTOR, "county"),
    ("duban", "赵红梅", Role.SUPERVISOR, "county"),
    ("lingdao", "孙立新", Role.LEADER, "county"),
    ("tiaojie", "周桂兰", Role.MEDIATOR, "county"),
    ("gongan", "李明", Role.HANDLER, UnitType.PUBLIC_SECURITY),
    ("sifa", "黄丽", Role.HANDLER, UnitType.JUSTICE),
    ("renshe", "吴刚", Role.HANDLER, UnitType.HUMAN_RESOURCES),
    ("zhujian", "郑伟", Role.HANDLER, UnitType.HOUSING),
    ("xinfang", "何芳", Role.HANDLER, UnitType.PETITION),
    ("zhen_fenliu", "马俊", Role.DISPATCHER, "township"),
    ("zhen_chengban", "杨帆", Role.HANDLER, "township"),
    ("zhen_zhuren", "朱光明", Role.DIRECTOR, "township"),
    ("cun_wangge", "胡小兵", Role.GRID_WORKER, "village"),
    ("cun_tiaojie", "郭秀英", Role.MEDIATOR, "village"),
]


@dataclass
class DemoOrg:
    county: Region
    county_center: Unit
    township_centers: dict[str, Unit]
    village_centers: dict[str, Unit]
    departments: dict[str, Unit]
    users: dict[str, User]
    # township code → unit type → the township's own stations (派出所, 司法所)
    township_units: dict[str, dict[str, Unit]]
    # (unit id, role) → the staff user who acts in that role there
    staff: dict[tuple[int, str], User]

    @property
    def staff_count(self) -> int:
        return len({u.pk for u in self.staff.values()})


@transaction.atomic
def build_organization() -> DemoOrg:
    county = Region.objects.get(code=COUNTY_CODE)
    county_center, _ = Unit.objects.get_or_create(
        region=county, name=center_name_for(county), defaults={"kind": UnitKind.CENTER}
    )
    for ancestor in county.ancestors():
        Unit.objects.get_or_create(
            region=ancestor, name=center_name_for(ancestor), defaults={"kind": UnitKind.CENTER}
        )
    township_centers = {}
    village_centers = {}
    for township in county.children.order_by("code"):
        township_centers[township.code], _ = Unit.objects.get_or_create(
            region=township,
            name=center_name_for(township),
            defaults={"kind": UnitKind.CENTER},
        )
        for village in township.children.filter(level=Level.VILLAGE).order_by("code"):
            village_centers[village.code], _ = Unit.objects.get_or_create(
                region=village,
                name=center_name_for(village),
                defaults={"kind": UnitKind.CENTER},
            )
    departments = {}
    for unit_type, name, residency in DEPARTMENTS:
        departments[unit_type], _ = Unit.objects.get_or_create(
            region=county,
            name=name,
            defaults={
                "kind": UnitKind.DEPARTMENT,
                "unit_type": unit_type,
                "center": county_center,
                "residency": residency,
            },
        )
    first_township = township_centers[min(township_centers)]
    first_village = min(
        (c for code, c in village_centers.items() if code.startswith(first_township.region_id)),
        key=lambda c: c.region_id,
    )
    units = {"county": county_center, "township": first_township, "village": first_village}
    units.update(departments)
    users = {}
    for username, display_name, role, unit_key in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display_name, "password": _password_hash()},
        )
        if created and role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
            user.save()
        Membership.objects.get_or_create(user=user, unit=units[unit_key], role=role)
        users[username] = user
    township_units = _township_stations(county_center, township_centers)
    staff: dict[tuple[int, str], User] = {}
    for username, _name, role, unit_key in STAFF:
        staff.setdefault((units[unit_key].pk, role), users[username])
    _more_staff(staff, users, departments, township_centers, village_centers, township_units)
    for username, display_name in COUNTY_LEADERS:
        users[username] = _ensure_user(username, display_name, county_center, Role.LEADER)
    return DemoOrg(
        county,
        county_center,
        township_centers,
        village_centers,
        departments,
        users,
        township_units,
        staff,
    )


def _short(name: str) -> str:
    return name.removesuffix("镇").removesuffix("乡")


def _township_stations(
    county_center: Unit, township_centers: dict[str, Unit]
) -> dict[str, dict[str, Unit]]:
    stations: dict[str, dict[str, Unit]] = {}
    for code, center in township_centers.items():
        region = center.region
        stations[code] = {}
        for unit_type, name in (
            (UnitType.PUBLIC_SECURITY, f"云梦县公安局{_short(region.name)}派出所"),
            (UnitType.JUSTICE, f"云梦县司法局{_short(region.name)}司法所"),
            (UnitType.MEDIATION_COMMITTEE, f"{region.name}人民调解委员会"),
        ):
            stations[code][unit_type], _ = Unit.objects.get_or_create(
                region=region,
                name=name,
                defaults={
                    "kind": UnitKind.DEPARTMENT,
                    "unit_type": unit_type,
                    "center": center,
                    "residency": Residency.RESIDENT,
                },
            )
    return stations


_PASSWORD_HASH: list[str] = []


def _password_hash() -> str:
    """The demo password's hash, computed once: hashing is deliberately slow."""
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(make_password(DEMO_PASSWORD))
    return _PASSWORD_HASH[0]


def _ensure_user(username: str, display_name: str, unit: Unit, role: str) -> User:
    """A demo user with one role."""
    user, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "password": _password_hash()}
    )
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def _more_staff(
    staff: dict[tuple[int, str], User],
    users: dict[str, User],
    departments: dict[str, Unit],
    township_centers: dict[str, Unit],
    village_centers: dict[str, Unit],
    township_units: dict[str, dict[str, Unit]],
) -> None:
    """Staff beyond the printed list: every department, township center and village center
    has the people its cases need (the names come from a fixed seed)."""
    rng = random.Random(20260101)
    today = dt.date(2026, 1, 1)

    def add(username: str, unit: Unit, role: str, display_name: str = "") -> None:
        if (unit.pk, role) in staff:
            return
        user = _ensure_user(username, display_name or person(rng, today).name, unit, role)
        staff[(unit.pk, role)] = user
        users.setdefault(username, user)

    for username, display_name, unit_type in DEPARTMENT_HANDLERS:
        add(username, departments[unit_type], Role.HANDLER, display_name)
    for code, center in township_centers.items():
        slug = TOWNSHIP_SLUGS.get(code, f"zhen{code[-3:]}")
        for suffix, role in TOWNSHIP_ROLES:
            add(f"{slug}_{suffix}", center, role)
        for unit_type, unit in township_units[code].items():
            add(f"{slug}_{unit_type.split('_')[0][:6]}", unit, Role.HANDLER)
    for code, center in village_centers.items():
        add(f"wg{code[-6:]}", center, Role.GRID_WORKER)
        add(f"tj{code[-6:]}", center, Role.MEDIATOR)
        mediator = staff[(center.pk, Role.MEDIATOR)]
        # The village mediator also handles the cases sent to the village (村级调).
        if (center.pk, Role.HANDLER) not in staff:
            Membership.objects.get_or_create(user=mediator, unit=center, role=Role.HANDLER)
            staff[(center.pk, Role.HANDLER)] = mediator
