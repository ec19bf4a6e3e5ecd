"""An appeal made into the unsaved case and parties that registration writes."""

from __future__ import annotations

import datetime as dt

from fengqiao.cases.choices import CaseKind
from fengqiao.cases.drafts import CaseDraft, address_key
from fengqiao.cases.models import Case, Party
from fengqiao.intake.types import AppealIn
from fengqiao.org.models import Membership, User


def draft_case(
    appeal: AppealIn, *, actor: User | None, membership: Membership | None, now: dt.datetime
) -> CaseDraft:
    """The case and its parties as registration will store them (checked appeal only)."""
    region = appeal.region
    address = appeal.address.strip()
    case = Case(
        channel=appeal.channel,
        title=appeal.title.strip(),
        description=appeal.description.strip(),
        category=appeal.category,
        kind=appeal.kind or (appeal.category.kind if appeal.category else CaseKind.OTHER),
        region=region,
        region_path=region.path,
        grid=appeal.grid,
        address=address,
        address_key=address_key(region, address),
        latitude=appeal.latitude,
        longitude=appeal.longitude,
        people_count=appeal.people_count,
        center=appeal.center,
        scope_path=appeal.center.region_path,
        first_unit=membership.unit if membership else None,
        registered_by=actor,
        registered_at=now,
    )
    parties = []
    for p in appeal.parties:
        party = Party(
            role=p.role,
            kind=p.kind,
            name=p.name.strip(),
            address=p.address.strip(),
            is_elderly=p.is_elderly,
            is_minor=p.is_minor,
            is_disabled=p.is_disabled,
        )
        party.set_phone(p.phone)
        party.set_id_number(p.id_number)
        parties.append(party)
    return CaseDraft(case=case, parties=parties, kind_given=bool(appeal.kind))
