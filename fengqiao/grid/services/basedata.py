"""Base data of grids (人、地、物、事、组织): residents, houses, organizations, places.

Written by the grid's own workers and by directors/admins of the centers above it. A resident
is registered once in the whole system (by the keyed hash of the ID number): a duplicate is
refused with the grid it is already in.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fengqiao.core import crypto
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.core.validators import id_birth_date, is_phone, is_resident_id
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import HouseUse, IdType, OrgKind, PlaceKind, ResidentKind
from fengqiao.grid.models import House, Organization, Place, Resident
from fengqiao.grid.services.audit import audit
from fengqiao.grid.services.common import clean_text
from fengqiao.grid.services.field import parse_location
from fengqiao.org.models import User
from fengqiao.regions.models import Grid

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def may_edit(actor: User | None, grid: Grid) -> bool:
    if actor is None or actor.is_superuser:
        return True
    if grid.pk in sel.own_grid_ids(actor):
        return True
    return sel.may_manage(actor, grid.region)


def _require(actor: User | None, grid: Grid) -> None:
    if not may_edit(actor, grid):
        raise PermissionDenied(_("您没有维护该网格基础数据的权限。"))


def _choice(value: str, choices: Any, label: str, field: str) -> str:
    """A choice by its value or its Chinese label (as typed in a spreadsheet)."""
    value = (value or "").strip()
    for v, text in choices.choices:
        if value in (v, str(text)):
            return v
    names = "、".join(str(t) for _v, t in choices.choices)
    raise ValidationFailed(
        _("%(label)s“%(value)s”无效，应为：%(names)s。")
        % {"label": label, "value": value[:20], "names": names},
        field=field,
    )


def _phone(value: str, label: str) -> str:
    value = clean_text(value, label, max_length=20, required=False, field="phone")
    if value and not is_phone(value):
        raise ValidationFailed(
            _("%(label)s“%(value)s”格式不正确，请填写11位手机号或带区号的固定电话。")
            % {"label": label, "value": value},
            field="phone",
        )
    return value


def check_resident(
    *,
    name: str,
    kind: str,
    id_type: str = IdType.RESIDENT_ID,
    id_number: str = "",
    phone: str = "",
    household_no: str = "",
    relation: str = "",
    address: str = "",
) -> dict[str, Any]:
    """The cleaned fields of a resident, or a :class:`ValidationFailed` naming the field."""
    data = {
        "name": clean_text(name, _("姓名"), max_length=64, field="name"),
        "kind": _choice(kind, ResidentKind, _("人口类型"), "kind"),
        "id_type": _choice(id_type or IdType.RESIDENT_ID, IdType, _("证件类型"), "id_type"),
        "household_no": clean_text(
            household_no, _("户号"), max_length=32, required=False, field="household_no"
        ),
        "relation": clean_text(
            relation, _("与户主关系"), max_length=16, required=False, field="relation"
        ),
        "address": clean_text(
            address, _("现住址"), max_length=200, required=False, field="address"
        ),
        "phone": _phone(phone, _("联系电话")),
    }
    number = crypto.normalize_id_number(
        clean_text(id_number, _("证件号码"), max_length=32, required=False, field="id_number")
    )
    if data["id_type"] == IdType.RESIDENT_ID and number and not is_resident_id(number):
        raise ValidationFailed(
            _("身份证号码“%(value)s”不正确（请核对位数、出生日期和最后一位校验码）。")
            % {"value": crypto.mask_id_number(number)},
            field="id_number",
        )
    if data["kind"] == ResidentKind.REGISTERED and not number:
        raise ValidationFailed(_("户籍人口须填写身份证号码。"), field="id_number")
    data["id_number"] = number
    return data


def resident_hash(id_type: str, id_number: str) -> str:
    return (
        crypto.keyed_hash(crypto.normalize_id_number(id_number), kind=f"id:{id_type}")
        if id_number
        else ""
    )


def duplicate_of(id_type: str, id_number: str) -> Resident | None:
    key = resident_hash(id_type, id_number)
    return (
        Resident.objects.filter(id_number_hash=key).select_related("grid__region").first()
        if key
        else None
    )


def _duplicate_error(existing: Resident) -> Conflict:
    return Conflict(
        _("该证件号码已登记在%(grid)s（%(name)s），不能重复登记。")
        % {
            "grid": f"{existing.grid.region.name}{existing.grid.name}",
            "name": crypto.mask_name(existing.name),
        },
        field="id_number",
    )


@transaction.atomic
def add_resident(
    *, actor: User | None, grid: Grid, house: House | None = None, **fields: Any
) -> Resident:
    _require(actor, grid)
    data = check_resident(**fields)
    existing = duplicate_of(data["id_type"], data["id_number"])
    if existing is not None:
        raise _duplicate_error(existing)
    resident = Resident(
        grid=grid,
        house=house,
        name=data["name"],
        kind=data["kind"],
        id_type=data["id_type"],
        household_no=data["household_no"],
        relation=data["relation"],
        address=data["address"],
    )
    resident.set_id_number(data["id_number"])
    resident.set_phone(data["phone"])
    if data["id_type"] == IdType.RESIDENT_ID and data["id_number"]:
        resident.birth_date = id_birth_date(data["id_number"])
        resident.gender = "男" if int(data["id_number"][16]) % 2 else "女"
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # the same person registered at the same moment
        raise _duplicate_error(
            duplicate_of(data["id_type"], data["id_number"]) or resident
        ) from exc
    audit(actor=actor, action="basedata.resident", obj=resident, grid=grid.code)
    return resident


def check_house(
    *, address: str, use: str = HouseUse.SELF, owner_name: str = "", note: str = ""
) -> dict[str, Any]:
    return {
        "address": clean_text(address, _("地址"), max_length=200, field="address"),
        "use": _choice(use or HouseUse.SELF, HouseUse, _("用途"), "use"),
        "owner_name": clean_text(
            owner_name, _("产权人"), max_length=64, required=False, field="owner_name"
        ),
        "note": clean_text(note, _("备注"), max_length=200, required=False, field="note"),
    }


@transaction.atomic
def add_house(*, actor: User | None, grid: Grid, **fields: Any) -> House:
    _require(actor, grid)
    data = check_house(**fields)
    if House.objects.filter(grid=grid, address=data["address"]).exists():
        raise Conflict(
            _("该网格已登记地址为“%(address)s”的房屋。") % {"address": data["address"]},
            field="address",
        )
    house = House.objects.create(grid=grid, **data)
    audit(actor=actor, action="basedata.house", obj=house, grid=grid.code)
    return house


def _credit_code(value: str) -> str:
    value = (value or "").strip().upper()
    if value and (len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value)):
        raise ValidationFailed(
            _("统一社会信用代码“%(value)s”应为18位数字或大写字母。") % {"value": value[:20]},
            field="credit_code",
        )
    return value


def check_organization(
    *,
    name: str,
    kind: str,
    credit_code: str = "",
    contact: str = "",
    phone: str = "",
    address: str = "",
    employees: Any = 0,
) -> dict[str, Any]:
    try:
        count = int(employees or 0)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("从业人数应为整数。"), field="employees") from exc
    if not 0 <= count <= 1_000_000:
        raise ValidationFailed(_("从业人数应在0到1000000之间。"), field="employees")
    return {
        "name": clean_text(name, _("名称"), max_length=120, field="name"),
        "kind": _choice(kind, OrgKind, _("类型"), "kind"),
        "credit_code": _credit_code(credit_code),
        "contact": clean_text(contact, _("负责人"), max_length=64, required=False, field="contact"),
        "phone": _phone(phone, _("联系电话")),
        "address": clean_text(address, _("地址"), max_length=200, required=False, field="address"),
        "employees": count,
    }


@transaction.atomic
def add_organization(*, actor: User | None, grid: Grid, **fields: Any) -> Organization:
    _require(actor, grid)
    data = check_organization(**fields)
    if Organization.objects.filter(grid=grid, name=data["name"]).exists():
        raise Conflict(
            _("该网格已登记名为“%(name)s”的组织。") % {"name": data["name"]}, field="name"
        )
    phone = data.pop("phone")
    org = Organization(grid=grid, **data)
    org.set_phone(phone)
    org.save()
    audit(actor=actor, action="basedata.organization", obj=org, grid=grid.code)
    return org


def check_place(
    *,
    name: str,
    kind: str,
    address: str = "",
    contact: str = "",
    latitude: Any = None,
    longitude: Any = None,
) -> dict[str, Any]:
    lat, lon = parse_location(latitude, longitude)
    return {
        "name": clean_text(name, _("名称"), max_length=120, field="name"),
        "kind": _choice(kind, PlaceKind, _("类型"), "kind"),
        "address": clean_text(address, _("地址"), max_length=200, required=False, field="address"),
        "contact": clean_text(contact, _("负责人"), max_length=64, required=False, field="contact"),
        "latitude": lat,
        "longitude": lon,
    }


@transaction.atomic
def add_place(*, actor: User | None, grid: Grid, **fields: Any) -> Place:
    _require(actor, grid)
    data = check_place(**fields)
    if Place.objects.filter(grid=grid, name=data["name"]).exists():
        raise Conflict(
            _("该网格已登记名为“%(name)s”的场所。") % {"name": data["name"]}, field="name"
        )
    place = Place.objects.create(grid=grid, **data)
    audit(actor=actor, action="basedata.place", obj=place, grid=grid.code)
    return place
