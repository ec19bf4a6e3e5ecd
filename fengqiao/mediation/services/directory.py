"""Writes on the directory: organizations, mediators and legal experts, their declared
relatives, weekly availability and village pairings (法治副村长 / 村法律顾问), rooms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from fengqiao.cases.models import Category
from fengqiao.core import crypto
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.core.validators import is_phone, is_resident_id
from fengqiao.mediation.choices import OrganizationKind, PairingRole, ProviderKind, Residency
from fengqiao.mediation.models import (
    Availability,
    Mediator,
    Organization,
    Pairing,
    Relative,
    Room,
)
from fengqiao.mediation.services.common import clean_text
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import Level, Region

MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN, Role.DISPATCHER})
MAX_LANGUAGES = 8


def may_manage(user: User, center: Unit) -> bool:
    """Directors, dispatchers and admins of a center (or one above it) keep its directory."""
    if user.is_superuser:
        return True
    return any(
        m.role in MANAGE_ROLES
        and m.unit.kind == UnitKind.CENTER
        and center.region_path.startswith(m.unit.region_path)
        for m in active_memberships(user)
    )


def _require_manage(user: User | None, center: Unit) -> None:
    if user is not None and not may_manage(user, center):
        raise PermissionDenied(_("您无权维护该中心的调解员名录。"))


def _center(center: Unit | None) -> Unit:
    if center is None or center.kind != UnitKind.CENTER or not center.is_active:
        raise ValidationFailed(_("请选择一个有效的综治中心。"), field="center")
    return center


@transaction.atomic
def create_organization(
    *, center: Unit, name: str, kind: str, actor: User | None, unit: Unit | None = None
) -> Organization:
    center = _center(center)
    _require_manage(actor, center)
    name = clean_text(name, _("名称"), max_length=120)
    if kind not in OrganizationKind.values:
        raise ValidationFailed(_("调解组织类别无效。"), field="kind")
    org, _created = Organization.objects.get_or_create(
        center=center, name=name, defaults={"kind": kind, "unit": unit}
    )
    return org


@dataclass(frozen=True)
class MediatorIn:
    """A directory entry as entered by the center."""

    name: str
    center: Unit
    kind: str = ProviderKind.MEDIATOR
    organization: Organization | None = None
    user: User | None = None
    title: str = ""
    bio: str = ""
    specialties: Sequence[Category] = ()
    languages: Sequence[str] = ("普通话",)
    residency: str = Residency.RESIDENT
    schedule_note: str = ""
    is_chief: bool = False
    max_open_cases: int = 8
    is_published: bool = True
    phone: str = ""
    id_number: str = ""
    availability: Sequence[tuple[int, dt.time, dt.time]] = field(default_factory=tuple)


def _check_entry(data: MediatorIn) -> None:
    if data.kind not in ProviderKind.values:
        raise ValidationFailed(_("类别无效。"), field="kind")
    if data.residency not in Residency.values:
        raise ValidationFailed(_("入驻方式无效。"), field="residency")
    if not 1 <= data.max_open_cases <= 200:
        raise ValidationFailed(_("同时承办上限应在1到200之间。"), field="max_open_cases")
    if data.phone and not is_phone(data.phone):
        raise ValidationFailed(_("联系电话格式不正确。"), field="phone")
    if data.id_number and not is_resident_id(data.id_number):
        raise ValidationFailed(_("身份证号码不正确。"), field="id_number")
    if data.organization is not None and not data.center.region_path.startswith(
        data.organization.center.region_path
    ):
        raise ValidationFailed(_("调解组织不属于该中心。"), field="organization")
    if len(data.languages) > MAX_LANGUAGES:
        raise ValidationFailed(_("语言/方言最多填写8项。"), field="languages")
    for weekday, start, end in data.availability:
        if not 0 <= weekday <= 6 or not start < end:
            raise ValidationFailed(_("值班时间无效（开始应早于结束）。"), field="availability")


@transaction.atomic
def save_mediator(
    *, data: MediatorIn, actor: User | None, mediator: Mediator | None = None
) -> Mediator:
    """Add a directory entry, or replace an existing one's fields with ``data``."""
    center = _center(data.center)
    _require_manage(actor, center)
    if mediator is not None:
        _require_manage(actor, mediator.center)
    _check_entry(data)
    entry = mediator or Mediator()
    entry.kind = data.kind
    entry.name = clean_text(data.name, _("姓名"), max_length=64)
    entry.center = center
    entry.organization = data.organization
    entry.user = data.user
    entry.title = clean_text(data.title, _("职务/职称"), max_length=64, required=False)
    entry.bio = clean_text(data.bio, _("个人简介"), max_length=2000, required=False)
    entry.languages = "、".join(
        clean_text(lang, _("语言/方言"), max_length=20) for lang in data.languages if lang.strip()
    )
    entry.residency = data.residency
    entry.schedule_note = clean_text(
        data.schedule_note, _("坐班安排"), max_length=200, required=False
    )
    entry.is_chief = data.is_chief
    entry.max_open_cases = data.max_open_cases
    entry.is_published = data.is_published
    if data.phone or mediator is None:
        entry.set_phone(data.phone)
    if data.id_number or mediator is None:
        entry.set_id_number(data.id_number)
    entry.save()
    entry.specialties.set(list(data.specialties))
    if data.availability or mediator is None:
        entry.availability.all().delete()
        Availability.objects.bulk_create(
            Availability(mediator=entry, weekday=w, start=s, end=e) for w, s, e in data.availability
        )
    return entry


@transaction.atomic
def declare_relative(
    *,
    mediator: Mediator,
    name: str,
    relation: str,
    phone: str = "",
    id_number: str = "",
    actor: User | None,
) -> Relative:
    """A mediator's near relative (回避): matched against parties by phone or ID number."""
    _require_manage(actor, mediator.center)
    name = clean_text(name, _("姓名"), max_length=64)
    relation = clean_text(relation, _("关系"), max_length=32)
    if not phone and not id_number:
        raise ValidationFailed(_("请填写亲属的电话或身份证号码，用于回避核对。"), field="phone")
    if phone and not is_phone(phone):
        raise ValidationFailed(_("联系电话格式不正确。"), field="phone")
    if id_number and not is_resident_id(id_number):
        raise ValidationFailed(_("身份证号码不正确。"), field="id_number")
    return Relative.objects.create(
        mediator=mediator,
        name=name,
        relation=relation,
        phone_hash=crypto.phone_hash(crypto.normalize_phone(phone)) if phone else "",
        id_number_hash=(
            crypto.id_number_hash(crypto.normalize_id_number(id_number)) if id_number else ""
        ),
    )


@transaction.atomic
def pair_village(
    *, expert: Mediator, village: Region, role: str, since: dt.date, actor: User | None
) -> Pairing:
    """Pair a legal expert with a village; a village has one of each role (the new one
    replaces the old)."""
    _require_manage(actor, expert.center)
    if expert.kind != ProviderKind.LEGAL_EXPERT:
        raise ValidationFailed(
            _("只有法律专家可以结对担任法治副村长或村法律顾问。"), field="expert"
        )
    if village.level != Level.VILLAGE:
        raise ValidationFailed(_("请选择一个村（社区）。"), field="village")
    if role not in PairingRole.values:
        raise ValidationFailed(_("职务无效。"), field="role")
    pairing, _created = Pairing.objects.update_or_create(
        village=village, role=role, defaults={"expert": expert, "since": since}
    )
    return pairing


@transaction.atomic
def create_room(
    *, center: Unit, name: str, capacity: int = 8, equipment: str = "", actor: User | None
) -> Room:
    center = _center(center)
    _require_manage(actor, center)
    name = clean_text(name, _("名称"), max_length=64)
    if not 1 <= capacity <= 500:
        raise ValidationFailed(_("容纳人数应在1到500之间。"), field="capacity")
    room, _created = Room.objects.get_or_create(
        center=center,
        name=name,
        defaults={
            "capacity": capacity,
            "equipment": clean_text(equipment, _("设备"), max_length=200, required=False),
        },
    )
    return room
