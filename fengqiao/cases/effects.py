"""What each move of the closed loop does to a case besides its status: one function per
action, looked up by :func:`fengqiao.cases.services.transition` after it has locked the case
and checked the move against the table (:mod:`fengqiao.cases.workflow`), the actor's right
and what the move requires.

Each effect receives the locked case, the :class:`Move` (what the actor asked, already
cleaned) and the time, changes fields on the case (the caller saves it), writes the rows
that go with the move (assignments), and returns the data its event records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action, AssignmentRole, AssignmentStatus, Satisfaction
from fengqiao.cases.models import Case, CaseAssignment
from fengqiao.cases.policies import deadline_policy
from fengqiao.core.errors import Conflict, ValidationFailed
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit

OPEN_ASSIGNMENTS = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.REPORTED)
UNREPORTED = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED)


@dataclass(frozen=True)
class Move:
    """What the actor asked for with a move (texts stripped)."""

    action: str
    note: str = ""
    result: str = ""
    public_result: str = ""
    lead_unit: Unit | None = None
    co_units: tuple[Unit, ...] = ()
    target_center: Unit | None = None
    satisfaction: str = ""
    unreached: bool = False  # an archive by the system of a case whose party was not reached
    extra: dict[str, Any] = field(default_factory=dict)


Effect = Callable[[Case, Move, dt.datetime], dict[str, Any]]


def check_lead_unit(case: Case, unit: Unit | None, *, field: str = "lead_unit") -> Unit:
    """A unit the case may be sent to: active, inside the center's area, not the center."""
    if unit is None:
        raise ValidationFailed(_("请选择主办单位。"), field=field)
    if not unit.is_active:
        raise ValidationFailed(_("单位“%(unit)s”已停用。") % {"unit": unit}, field=field)
    if not unit.region_path.startswith(case.scope_path):
        raise ValidationFailed(
            _("单位“%(unit)s”不在%(center)s的管辖范围内。") % {"unit": unit, "center": case.center},
            field=field,
        )
    if unit.pk == case.center_id:
        raise ValidationFailed(_("不能派给本中心自身，请选择部门或下级中心。"), field=field)
    return unit


def _co_units(case: Case, lead: Unit, units: Iterable[Unit]) -> list[Unit]:
    out: list[Unit] = []
    for u in units:
        if u.pk == lead.pk or u in out:
            continue
        if u.kind == UnitKind.CENTER:
            raise ValidationFailed(
                _("协办单位应为职能部门；需要下级中心办理的，请派给该中心主办。"),
                field="co_units",
            )
        out.append(check_lead_unit(case, u, field="co_units"))
    return out


def _check_target_center(case: Case, target: Unit | None, action: str) -> Unit:
    if target is None or target.kind != UnitKind.CENTER or not target.is_active:
        raise ValidationFailed(_("请选择目标综治中心。"), field="target_center")
    current = case.center.region_path
    if action == Action.ESCALATE:
        if not (current.startswith(target.region_path) and target.region_path != current):
            raise ValidationFailed(_("上报只能提交给上级综治中心。"), field="target_center")
    elif not (target.region_path.startswith(current) and target.region_path != current):
        raise ValidationFailed(_("交办只能交给下级综治中心。"), field="target_center")
    return target


def cancel_assignments(case: Case) -> None:
    """The case's open assignments end (it moves elsewhere or is sent again)."""
    case.assignments.filter(status__in=OPEN_ASSIGNMENTS).update(status=AssignmentStatus.CANCELLED)


def dispatch(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """分流: one lead unit and co-handling units; a lower center takes charge of the case."""
    lead = check_lead_unit(case, move.lead_unit)
    co = _co_units(case, lead, move.co_units)
    cancel_assignments(case)
    center_before = case.center_id
    CaseAssignment.objects.bulk_create(
        [
            CaseAssignment(case=case, unit=lead, role=AssignmentRole.LEAD, assigned_at=now),
            *(
                CaseAssignment(case=case, unit=u, role=AssignmentRole.CO, assigned_at=now)
                for u in co
            ),
        ]
    )
    case.lead_unit = lead
    if lead.kind == UnitKind.CENTER:
        # Sent down to a lower center (村级调、乡级办): that center takes charge, so its own
        # staff see and handle it; the center above still sees it in its subtree.
        case.center = lead
        case.scope_path = lead.region_path
    case.tier_level = lead.region.level
    case.dispatched_at = now
    case.is_overdue = False
    sign_deadline, deadline, deadline_note = deadline_policy()(case, now)
    case.sign_deadline, case.deadline = sign_deadline, deadline
    data: dict[str, Any] = {
        "lead_unit": lead.pk,
        "from_center": center_before,
        "co_units": [u.pk for u in co],
        "deadline": deadline.isoformat() if deadline else None,
        "sign_deadline": sign_deadline.isoformat() if sign_deadline else None,
    }
    if deadline_note:
        data["deadline_note"] = deadline_note
    return data


def sign(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """签收: the lead unit takes the case."""
    case.assignments.filter(
        unit=case.lead_unit, role=AssignmentRole.LEAD, status=AssignmentStatus.PENDING
    ).update(status=AssignmentStatus.SIGNED, signed_at=now)
    return {}


def return_case(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """退回: the lead unit sends it back (wrong unit); a lower center returns it upwards."""
    case.assignments.filter(unit=case.lead_unit, status=AssignmentStatus.PENDING).update(
        status=AssignmentStatus.RETURNED, return_reason=move.note
    )
    cancel_assignments(case)
    data = {"returned_by_unit": case.lead_unit_id}
    if case.lead_unit_id == case.center_id:
        last = case.events.filter(action=Action.DISPATCH).order_by("-seq").first()
        sent_from = (last.data or {}).get("from_center") if last is not None else None
        sender = Unit.objects.filter(pk=sent_from).first() if sent_from else None
        if sender is not None:
            case.center = sender
            case.scope_path = sender.region_path
    case.lead_unit = None
    case.deadline = case.sign_deadline = None
    return data


def unreported_co_handlers(case: Case) -> list[CaseAssignment]:
    """The co-handling units that have not reported their part (and were not released)."""
    return list(
        case.assignments.filter(role=AssignmentRole.CO, status__in=UNREPORTED)
        .select_related("unit")
        .order_by("id")
    )


def resolve(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """办结 (also 当场答复 and 调解成功): the result, and the level that settled it. The lead
    unit resolves only once every co-handling unit has reported its part or been released."""
    if move.action == Action.RESOLVE:
        waiting = unreported_co_handlers(case)
        if waiting:
            raise Conflict(
                _("协办单位%(units)s尚未反馈办理情况，待其反馈或由分流调度员解除协办后才能办结。")
                % {"units": "、".join(a.unit.name for a in waiting)},
                code="co_handlers_pending",
            )
    case.result = move.result
    case.public_result = (move.public_result or move.result).strip()
    case.resolved_at = now
    settled_unit = case.lead_unit if move.action == Action.RESOLVE else case.center
    case.settled_level = settled_unit.region.level if settled_unit else None
    return {}


def move_center(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """上报 / 交办: the case goes to a higher or lower center, to be dispatched again."""
    target = _check_target_center(case, move.target_center, move.action)
    data = {"from_center": case.center_id, "to_center": target.pk}
    cancel_assignments(case)
    case.center = target
    case.scope_path = target.region_path
    case.lead_unit = None
    case.deadline = case.sign_deadline = None
    case.tier_level = target.region.level
    return data


def close(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """审核结案."""
    case.closed_at = now
    return {}


def send_back(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """退回重办: the director sends the result back to the lead unit."""
    case.resolved_at = None
    return {}


def archive(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """归档 after a satisfied visit (or, by the system, an unreached party)."""
    case.satisfaction = move.satisfaction
    return {"unreached": True} if move.unreached else {"satisfaction": move.satisfaction}


def reopen(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """重新办理 after a visit that was not satisfied."""
    data: dict[str, Any] = {}
    if move.satisfaction:
        if move.satisfaction not in Satisfaction.values:
            raise ValidationFailed(_("请选择满意度。"), field="satisfaction")
        case.satisfaction = move.satisfaction
        data = {"satisfaction": move.satisfaction}
    case.resolved_at = case.closed_at = None
    return data


def nothing(case: Case, move: Move, now: dt.datetime) -> dict[str, Any]:
    """The move changes only the status (先行调解, 不予受理, 撤回)."""
    return {}


EFFECTS: dict[str, Effect] = {
    Action.MEDIATE: nothing,
    Action.DISPATCH: dispatch,
    Action.ANSWER: resolve,
    Action.SETTLE: resolve,
    Action.REJECT: nothing,
    Action.WITHDRAW: nothing,
    Action.SIGN: sign,
    Action.RETURN: return_case,
    Action.RESOLVE: resolve,
    Action.ESCALATE: move_center,
    Action.DELEGATE: move_center,
    Action.CLOSE: close,
    Action.SEND_BACK: send_back,
    Action.ARCHIVE: archive,
    Action.REOPEN: reopen,
}
