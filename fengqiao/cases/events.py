"""The case's audit trail: appending an event to its hash chain (全程留痕).

Every writer of a case (registration in :mod:`fengqiao.intake`, the services of this app)
appends its event here, in the transaction that changed the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fengqiao.cases import hooks
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core import inserts
from fengqiao.org.models import Unit, User


def append_event(
    case: Case,
    *,
    action: str,
    from_status: str,
    to_status: str,
    actor: User | None,
    actor_label: str,
    unit: Unit | None,
    note: str = "",
    data: dict[str, Any] | None = None,
    now: dt.datetime,
    first: bool = False,
) -> CaseEvent:
    """Append one event, chained to the case's previous one. The case row must be locked
    (or new, with ``first=True``) in the current transaction. The row is queued with the
    transaction's other new rows (:func:`fengqiao.core.inserts.insert_later`) and handed to
    the case-event handlers (:mod:`fengqiao.cases.hooks`)."""
    last = (
        None
        if first
        else CaseEvent.objects.filter(case=case).order_by("-seq").values("seq", "hash").first()
    )
    event = CaseEvent(
        case=case,
        seq=(last["seq"] + 1) if last else 1,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label,
        unit=unit,
        unit_label=unit.name if unit else "",
        note=note,
        data=data or {},
        created_at=now,
        prev_hash=last["hash"] if last else "",
    )
    event.hash = event.compute_hash(case.code)
    inserts.insert_later(event)
    hooks.schedule(event)
    return event
