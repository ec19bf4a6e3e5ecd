"""Transfers in: a partner's order (110, 12345, court, 信访) becomes a case through
registration, once per external id; 舆情/民情 items become risk signals.

Idempotency is registration's own: the key is the partner's order number in the key space
``source:<partner code>``. A resent order answers with the case it made the first time —
also when the resend carries edited content (the case is not registered twice; the resend
is counted on the transfer record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import Case, Category
from fengqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fengqiao.intake.models import AppealKey
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.integrations import handlers
from fengqiao.integrations.choices import (
    KIND_CASE_KIND,
    KIND_CHANNEL,
    SIGNAL_KINDS,
    MappingKind,
    SignalLevel,
)
from fengqiao.integrations.models import InboundTransfer, Mapping, Partner, RiskSignal
from fengqiao.regions.models import Region

EXTERNAL_ID_MAX = 128


@dataclass(frozen=True)
class OrderIn:
    """One order as a partner sends it (codes are theirs or ours)."""

    external_id: str
    title: str
    description: str
    region: str = ""
    category: str = ""
    address: str = ""
    applicant_name: str = ""
    applicant_phone: str = ""
    applicant_id_number: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    people_count: int = 1
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TransferResult:
    case: Case
    created: bool


def signed_partner(code: str) -> Partner:
    """The partner named in a transfer's URL (NotFound in the user's language)."""
    partner = Partner.objects.select_related("center", "center__region").filter(code=code).first()
    if partner is None:
        raise NotFound(_("对接系统“%(code)s”不存在。") % {"code": code})
    return partner


def invalid_json() -> PermissionDenied:
    return PermissionDenied(_("请求体不是有效的 JSON。"), code="invalid_json")


def principal_of(partner: Partner) -> str:
    return f"source:{partner.code}"


def _mapped(partner: Partner, kind: str, code: str) -> str:
    row = Mapping.objects.filter(partner=partner, kind=kind, external_code=code).first()
    return row.internal_code if row else code


def resolve_region(partner: Partner, code: str) -> Region:
    """The partner's region code (mapped, or ours), else the center's own region."""
    if not code:
        return partner.center.region
    region = Region.objects.filter(code=_mapped(partner, MappingKind.REGION, code)).first()
    if region is None:
        raise ValidationFailed(_("区划“%(code)s”无法识别。") % {"code": code}, field="region")
    return region


def resolve_category(partner: Partner, code: str) -> Category | None:
    """The partner's category (mapped, or ours); None lets routing classify the text."""
    if not code:
        return None
    return Category.objects.filter(code=_mapped(partner, MappingKind.CATEGORY, code)).first()


def _check_partner(partner: Partner) -> None:
    if not partner.is_active:
        raise PermissionDenied(_("该对接系统已停用。"), code="partner_inactive")


def _clean_external_id(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > EXTERNAL_ID_MAX:
        raise ValidationFailed(_("请提供对方编号（不超过128个字符）。"), field="external_id")
    return value


def _appeal(partner: Partner, order: OrderIn) -> AppealIn:
    applicant = PartyIn(
        name=order.applicant_name.strip() or _("匿名来电人"),
        role=PartyRole.APPLICANT,
        phone=order.applicant_phone,
        id_number=order.applicant_id_number,
    )
    return AppealIn(
        center=partner.center,
        channel=KIND_CHANNEL.get(partner.kind, KIND_CHANNEL["other"]),
        title=order.title,
        description=order.description,
        region=resolve_region(partner, order.region),
        parties=(applicant,),
        category=resolve_category(partner, order.category),
        kind=KIND_CASE_KIND.get(partner.kind),
        address=order.address,
        latitude=order.latitude,
        longitude=order.longitude,
        people_count=order.people_count,
        extra={"source": partner.code, "external_id": order.external_id, **order.extra},
    )


def _existing(partner: Partner, external_id: str) -> Case | None:
    record = AppealKey.objects.filter(principal=principal_of(partner), key=external_id).first()
    return record.case if record else None


def _remember(partner: Partner, external_id: str, case: Case, *, created: bool) -> None:
    try:
        with transaction.atomic():
            transfer, made = InboundTransfer.objects.get_or_create(
                partner=partner, external_id=external_id, defaults={"case": case}
            )
    except IntegrityError:  # a parallel resend wrote it first
        transfer, made = (
            InboundTransfer.objects.get(partner=partner, external_id=external_id),
            False,
        )
    if not made and not created:
        InboundTransfer.objects.filter(pk=transfer.pk).update(resent=transfer.resent + 1)


def receive_order(*, partner: Partner, order: OrderIn) -> TransferResult:
    """Register the partner's order as a case, once (see the module's note)."""
    _check_partner(partner)
    if partner.kind in SIGNAL_KINDS:
        raise ValidationFailed(_("该系统推送的是风险信号，不能登记为案件。"), field="kind")
    external_id = _clean_external_id(order.external_id)
    order = OrderIn(**{**order.__dict__, "external_id": external_id})
    try:
        registration = register_appeal(
            appeal=_appeal(partner, order),
            door=Door.TRANSFER,
            actor=None,
            key=external_id,
            principal=principal_of(partner),
            actor_label=partner.name,
        )
        case, created = registration.case, registration.created
    except Conflict:
        case, created = _existing(partner, external_id), False
        if case is None:
            raise
    _remember(partner, external_id, case, created=created)
    if created:  # the registration's own event ran its handlers before the record existed
        handlers.on_case_event(case.events.get(seq=1))
    return TransferResult(case=case, created=created)


@dataclass(frozen=True)
class SignalIn:
    external_id: str
    title: str
    text: str = ""
    region: str = ""
    level: str = SignalLevel.LOW
    url: str = ""
    observed_at: dt.datetime | None = None


def receive_signal(*, partner: Partner, signal: SignalIn) -> tuple[RiskSignal, bool]:
    """Keep a 舆情/民情 item as a risk signal, once per external id."""
    _check_partner(partner)
    external_id = _clean_external_id(signal.external_id)
    if signal.level not in SignalLevel.values:
        raise ValidationFailed(_("信号等级无效。"), field="level")
    title = (signal.title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(_("请填写标题（不超过200字）。"), field="title")
    region = resolve_region(partner, signal.region)
    if not region.path.startswith(partner.center.region_path):
        raise ValidationFailed(
            _("区划“%(code)s”不在%(center)s的管辖范围内。")
            % {"code": region.code, "center": partner.center},
            field="region",
        )
    try:
        with transaction.atomic():
            return RiskSignal.objects.get_or_create(
                partner=partner,
                external_id=external_id,
                defaults={
                    "title": title,
                    "text": signal.text,
                    "region": region,
                    "level": signal.level,
                    "url": signal.url,
                    "observed_at": signal.observed_at or timezone.now(),
                },
            )
    except IntegrityError:
        return RiskSignal.objects.get(partner=partner, external_id=external_id), False
