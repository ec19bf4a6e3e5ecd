"""对接 transfers: 诉调 (court), 公调 (police), 检调 (procuratorate), 访调 (petition). A sending
unit hands a case to a center for mediation; the center accepts (a registered case enters
先行调解) or returns it with a reason; when the mediation ends the sender sees its outcome."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import actor_context
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.mediation.choices import TransferKind, TransferStatus
from fengqiao.mediation.models import Transfer
from fengqiao.mediation.services.common import clean_text, event
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships

SEND_ROLES = frozenset({Role.HANDLER, Role.DISPATCHER, Role.DIRECTOR})
RECEIVE_ROLES = frozenset({Role.MEDIATOR, Role.DISPATCHER, Role.DIRECTOR})
OPEN_CASE = (Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.MEDIATING)


def _sending_unit(user: User, case: Case, from_unit: Unit) -> Unit:
    roles = actor_context(user, case).roles
    if user.is_superuser or any(
        m.unit_id == from_unit.pk and role in SEND_ROLES for role, m in roles.items()
    ):
        return from_unit
    raise PermissionDenied(_("您所在单位没有承办该案件，不能移送。"))


@transaction.atomic
def send_transfer(
    *, case: Case, kind: str, from_unit: Unit, to_unit: Unit, reason: str, actor: User
) -> Transfer:
    """Transfer a case from one's unit to a center for mediation."""
    if kind not in TransferKind.values:
        raise ValidationFailed(_("对接类型无效。"), field="kind")
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _sending_unit(actor, case, from_unit)
    if case.status not in OPEN_CASE:
        raise Conflict(_("案件已办结，不能移送。"), code="case_closed")
    if to_unit.kind != UnitKind.CENTER or not to_unit.is_active or to_unit.pk == from_unit.pk:
        raise ValidationFailed(_("请选择接收调解的综治中心。"), field="to_unit")
    if not case.scope_path.startswith(to_unit.region_path):
        raise ValidationFailed(
            _("%(unit)s不管辖本案，请选择负责本案的综治中心或其上级中心。") % {"unit": to_unit},
            field="to_unit",
        )
    if Transfer.objects.filter(
        case=case, status__in=[TransferStatus.SENT, TransferStatus.ACCEPTED]
    ).exists():
        raise Conflict(_("本案已在对接中。"), code="transfer_open")
    transfer = Transfer.objects.create(
        case=case,
        kind=kind,
        from_unit=from_unit,
        to_unit=to_unit,
        reason=clean_text(reason, _("移送说明"), max_length=5000),
        sent_by=actor,
        sent_at=timezone.now(),
    )
    event(
        case=case,
        action=Action.TRANSFER,
        actor=actor,
        unit=from_unit,
        note=_("%(kind)s：%(from)s移送%(to)s调解。%(reason)s")
        % {
            "kind": transfer.get_kind_display(),
            "from": from_unit.name,
            "to": to_unit.name,
            "reason": transfer.reason,
        },
        data={"transfer": transfer.pk, "kind": kind, "to_unit": to_unit.pk},
    )
    return transfer


def _require_receiver(user: User, transfer: Transfer) -> None:
    if user.is_superuser:
        return
    if not any(
        m.unit_id == transfer.to_unit_id and m.role in RECEIVE_ROLES
        for m in active_memberships(user)
    ):
        raise PermissionDenied(_("只有接收中心的调解员、调度员或主任可以处理移送。"))


@transaction.atomic
def accept_transfer(*, transfer: Transfer, actor: User) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update().select_related("case", "to_unit").get(pk=transfer.pk)
    )
    _require_receiver(actor, transfer)
    if transfer.status != TransferStatus.SENT:
        raise Conflict(_("该移送已处理。"), code="already_decided")
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save()
    event(
        case=transfer.case,
        action=Action.TRANSFER,
        actor=actor,
        unit=transfer.to_unit,
        note=_("%(unit)s接收移送，开展调解") % {"unit": transfer.to_unit.name},
        data={"transfer": transfer.pk, "status": transfer.status},
    )
    if transfer.case.status == Status.REGISTERED:
        case_services.transition(
            case=transfer.case,
            action=Action.MEDIATE,
            actor=actor,
            note=transfer.get_kind_display(),
        )
    return transfer


@transaction.atomic
def return_transfer(*, transfer: Transfer, actor: User, reason: str) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update().select_related("case", "to_unit").get(pk=transfer.pk)
    )
    _require_receiver(actor, transfer)
    if transfer.status != TransferStatus.SENT:
        raise Conflict(_("该移送已处理。"), code="already_decided")
    transfer.return_reason = clean_text(reason, _("退回理由"), max_length=2000)
    transfer.status = TransferStatus.RETURNED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save()
    event(
        case=transfer.case,
        action=Action.TRANSFER,
        actor=actor,
        unit=transfer.to_unit,
        note=_("%(unit)s退回移送：%(reason)s")
        % {"unit": transfer.to_unit.name, "reason": transfer.return_reason},
        data={"transfer": transfer.pk, "status": transfer.status},
    )
    return transfer
