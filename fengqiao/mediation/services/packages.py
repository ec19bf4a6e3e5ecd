"""组合式套餐: mediation + arbitration + notarization + legal aid + psychological counselling
+ litigation, chosen per case; each service is a sub-task with its unit, deadline and outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.mediation import selectors
from fengqiao.mediation.choices import OPEN_SERVICE_STATUSES, ServiceKind, ServiceStatus
from fengqiao.mediation.models import Package, PackageService
from fengqiao.mediation.selectors import path_ancestors
from fengqiao.mediation.services.common import clean_text, event, require_decide, unit_for
from fengqiao.org.choices import UnitKind, UnitType
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import PATH_END

K = ServiceKind


@dataclass(frozen=True)
class Preset:
    code: str
    label: str
    services: tuple[str, ...]


# The ten combined packages a center offers (after 湖北's 「十大组合式套餐」).
PRESETS: tuple[Preset, ...] = (
    Preset("family", gettext_lazy("婚姻家庭套餐"), (K.MEDIATION, K.COUNSELLING, K.LEGAL_AID)),
    Preset(
        "labor", gettext_lazy("劳动争议（欠薪）套餐"), (K.MEDIATION, K.ARBITRATION, K.LEGAL_AID)
    ),
    Preset("traffic", gettext_lazy("道路交通事故套餐"), (K.MEDIATION, K.LITIGATION, K.LEGAL_AID)),
    Preset("medical", gettext_lazy("医疗纠纷套餐"), (K.MEDIATION, K.COUNSELLING, K.LITIGATION)),
    Preset("property", gettext_lazy("物业纠纷套餐"), (K.MEDIATION, K.NOTARIZATION)),
    Preset("land", gettext_lazy("山林土地套餐"), (K.MEDIATION, K.ARBITRATION, K.LITIGATION)),
    Preset("neighbor", gettext_lazy("邻里纠纷套餐"), (K.MEDIATION, K.COUNSELLING)),
    Preset("contract", gettext_lazy("合同债务套餐"), (K.MEDIATION, K.NOTARIZATION, K.LITIGATION)),
    Preset("consumer", gettext_lazy("消费维权套餐"), (K.MEDIATION, K.ARBITRATION)),
    Preset(
        "vulnerable",
        gettext_lazy("老弱病残帮扶套餐"),
        (K.MEDIATION, K.LEGAL_AID, K.COUNSELLING, K.NOTARIZATION),
    ),
)
PRESET_BY_CODE = {p.code: p for p in PRESETS}

# Which kind of unit usually gives each service (the form proposes one of them).
SERVICE_UNIT_TYPES: dict[str, tuple[str, ...]] = {
    K.MEDIATION: (UnitType.MEDIATION_COMMITTEE, UnitType.JUSTICE, UnitType.CENTER),
    K.ARBITRATION: (UnitType.HUMAN_RESOURCES, UnitType.NATURAL_RESOURCES),
    K.NOTARIZATION: (UnitType.JUSTICE,),
    K.LEGAL_AID: (UnitType.JUSTICE,),
    K.COUNSELLING: (UnitType.WOMEN_FEDERATION, UnitType.HEALTH),
    K.LITIGATION: (UnitType.COURT,),
}
DEFAULT_DAYS = {
    K.MEDIATION: 15,
    K.ARBITRATION: 45,
    K.NOTARIZATION: 15,
    K.LEGAL_AID: 10,
    K.COUNSELLING: 15,
    K.LITIGATION: 90,
}


def units_for(case: Case, kind: str) -> list[Unit]:
    """Units in the case's reach that give this service, the usual kind first."""
    types = SERVICE_UNIT_TYPES.get(kind, ())
    ancestors = path_ancestors(case.scope_path)
    qs = Unit.objects.filter(is_active=True, unit_type__in=types).filter(
        Q(region_path__in=ancestors)
        | Q(region_path__gte=case.scope_path, region_path__lt=case.scope_path + PATH_END)
    )
    units = list(qs.select_related("region"))
    units.sort(key=lambda u: (types.index(u.unit_type), -len(u.region_path), u.name))
    return units[:20]


@dataclass(frozen=True)
class ServiceIn:
    kind: str
    unit: Unit
    due_date: dt.date


@transaction.atomic
def choose_package(
    *, case: Case, services: Sequence[ServiceIn], actor: User, preset: str = "", note: str = ""
) -> Package:
    """Choose the services for a case (again: services added, the ones left out cancelled)."""
    require_decide(actor, case)
    if not services:
        raise ValidationFailed(_("请至少选择一项服务。"), field="services")
    if preset and preset not in PRESET_BY_CODE:
        raise ValidationFailed(_("套餐无效。"), field="preset")
    today = timezone.localdate()
    kinds = set()
    for s in services:
        if s.kind not in ServiceKind.values or s.kind in kinds:
            raise ValidationFailed(_("服务项目无效或重复。"), field="services")
        kinds.add(s.kind)
        if not s.unit.is_active:
            raise ValidationFailed(_("单位“%(unit)s”已停用。") % {"unit": s.unit}, field="unit")
        if not today <= s.due_date <= today + dt.timedelta(days=366):
            raise ValidationFailed(_("办理期限应在今天到一年之内。"), field="due_date")
    now = timezone.now()
    package, _created = Package.objects.select_for_update().get_or_create(
        case=case, defaults={"created_by": actor, "created_at": now}
    )
    package.preset = preset
    package.note = clean_text(note, _("说明"), max_length=500, required=False)
    package.save()
    existing = {s.kind: s for s in package.services.all()}
    for s in services:
        row = existing.get(s.kind)
        if row is None:
            PackageService.objects.create(
                package=package, kind=s.kind, unit=s.unit, due_date=s.due_date, updated_at=now
            )
        elif row.status in OPEN_SERVICE_STATUSES or row.status == ServiceStatus.CANCELLED:
            row.unit, row.due_date, row.updated_at = s.unit, s.due_date, now
            if row.status == ServiceStatus.CANCELLED:
                row.status = ServiceStatus.PENDING
            row.save()
    package.services.exclude(kind__in=kinds).filter(status__in=OPEN_SERVICE_STATUSES).update(
        status=ServiceStatus.CANCELLED, updated_at=now
    )
    label = PRESET_BY_CODE[preset].label if preset else _("自选服务")
    event(
        case=case,
        action=Action.SERVICE_PACKAGE,
        actor=actor,
        unit=unit_for(actor, case),
        note=_("组合式服务（%(label)s）：%(items)s")
        % {
            "label": label,
            "items": "、".join(f"{ServiceKind(s.kind).label}（{s.unit.name}）" for s in services),
        },
        data={"package": package.pk, "services": sorted(kinds)},
    )
    return package


def may_update_service(user: User, service: PackageService) -> bool:
    if user.is_superuser:
        return True
    if any(m.unit_id == service.unit_id for m in active_memberships(user)):
        return True
    return selectors.may_decide(user, service.package.case)


@transaction.atomic
def update_service(
    *, service: PackageService, status: str, actor: User, outcome: str = ""
) -> PackageService:
    """The unit (or the center) reports on its part of the package."""
    service = (
        PackageService.objects.select_for_update()
        .select_related("package__case", "unit")
        .get(pk=service.pk)
    )
    if not may_update_service(actor, service):
        raise PermissionDenied(_("只有承办该项服务的单位或综治中心可以填报。"))
    if status not in ServiceStatus.values or status == ServiceStatus.CANCELLED:
        raise ValidationFailed(_("服务状态无效。"), field="status")
    if service.status not in OPEN_SERVICE_STATUSES:
        raise Conflict(_("该项服务已办结。"), code="service_closed")
    final = status in (ServiceStatus.DONE, ServiceStatus.FAILED)
    service.outcome = clean_text(outcome, _("办理结果"), max_length=5000, required=final)
    now = timezone.now()
    service.status = status
    service.updated_at = now
    service.done_at = now if final else None
    service.save()
    case = service.package.case
    unit = service.unit if service.unit.kind != UnitKind.CENTER else unit_for(actor, case)
    event(
        case=case,
        action=Action.SERVICE_PACKAGE,
        actor=actor,
        unit=unit,
        note=_("%(kind)s：%(status)s。%(outcome)s")
        % {
            "kind": service.get_kind_display(),
            "status": service.get_status_display(),
            "outcome": service.outcome,
        },
        data={"service": service.pk, "status": status},
    )
    return service


def default_services(case: Case, kinds: Sequence[str]) -> Mapping[str, Unit | None]:
    return {k: (units_for(case, k) or [None])[0] for k in kinds}
