"""What the mediation services share: text checks, the case's chain, permission checks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.actors import Actor, citizen_actor
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.mediation import selectors
from fengqiao.org.models import Unit, User


def clean_text(value: Any, label: str, *, max_length: int, required: bool = True) -> str:
    """Stripped text, refused when missing, too long or holding characters no database keeps."""
    value = str(value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(_("%(label)s含有无效字符。") % {"label": label}, field=label)
    if required and not value:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label}, field=label)
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": max_length}, field=label
        )
    return value


def event(
    *,
    case: Case,
    action: str,
    actor: Actor | None,
    note: str = "",
    data: dict[str, Any] | None = None,
    unit: Unit | None = None,
) -> CaseEvent:
    """Append the write's event on the case's chain (inside the caller's transaction).
    Without an actor the event is the citizen's (who proved the case is theirs)."""
    return case_services.record_event(
        case=case,
        action=action,
        actor=actor if actor is not None else citizen_actor("code+phone"),
        unit=unit,
        note=note[:2000],
        data=data or {},
    )


def unit_for(user: Actor | None, case: Case) -> Unit | None:
    """The unit the actor acts from on this case (their first matching membership)."""
    if not isinstance(user, User):
        return None
    roles = selectors.roles_on(user, case)
    for role in ("mediator", "dispatcher", "director", "receptionist", "handler"):
        if role in roles:
            return roles[role].unit
    return None


def require_mediate(user: User, case: Case) -> None:
    if not selectors.may_mediate(user, case):
        raise PermissionDenied(_("您不是本案的调解员，也不是中心的调度或主任。"))


def require_decide(user: User, case: Case) -> None:
    if not selectors.may_decide(user, case):
        raise PermissionDenied(_("只有综治中心的分流调度员或主任可以处理。"))
