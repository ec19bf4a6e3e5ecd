"""How a registration is written: the fewest round trips, the county's code counter held
for as short a time as possible. The domain above (``intake.services``) decides *what* is
written; this module only decides *how*.

On PostgreSQL the case's id is reserved from its sequence first, so that its parties and the
other rows that point at it are queued before the county-and-day code counter is locked;
then the counter is taken in the same round trip as those rows, and only the case and its
event (which carry the code), and the idempotency key, follow; the lock is held for one round
trip and the commit. Where ids come only with the insert (SQLite), the case is inserted
first and its dependants after it. ``core.inserts`` writes the rows with the ORM's own
compiled INSERT (the models involved have no signals and no insert-time ``save()`` logic).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from fengqiao.cases.choices import Action, Status
from fengqiao.cases.codes import make_code, next_sequence
from fengqiao.cases.drafts import CaseDraft
from fengqiao.cases.events import append_event
from fengqiao.cases.models import Case
from fengqiao.core import inserts
from fengqiao.org.models import Unit, User


def write_registration(
    draft: CaseDraft,
    *,
    dependents: Sequence[models.Model],
    actor: User | None,
    actor_label: str,
    unit: Unit | None,
    note: str,
    event_data: dict[str, Any],
    now: dt.datetime,
    key_row: models.Model | None = None,
) -> Case:
    """Write the draft's case with its code, its parties, the ``dependents`` (new rows with a
    ``case`` foreign key: routing's record…), its registration event and the idempotency
    ``key_row`` (whose ``case`` is set here), in the current transaction. The returned case
    holds its parties (read without a query)."""
    case = draft.case
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write_registration() belongs inside transaction.atomic()")
    with inserts.batch():
        early = inserts.reserve(case)

        def children() -> None:
            for row in (*draft.parties, *dependents):
                row.case = case  # type: ignore[attr-defined]  # every row has a case FK
                inserts.insert_later(row)

        if early:
            children()
        day = timezone.localdate(now)
        county = case.center.region.county_code
        case.code = make_code(county, day, next_sequence(county, day))
        if early:
            inserts.insert_later(case)
        else:
            inserts.insert(case)
            children()
        append_event(
            case,
            action=Action.REGISTER,
            from_status="",
            to_status=Status.REGISTERED,
            actor=actor,
            actor_label=actor_label,
            unit=unit,
            note=note,
            data=event_data,
            now=now,
            first=True,
        )
        if key_row is not None:
            key_row.case = case  # type: ignore[attr-defined]  # the key row has a case FK
            inserts.insert_later(key_row)
    case.hold_related(parties=draft.parties)
    return case
