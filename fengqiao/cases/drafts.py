"""A case being registered, before it is written: the unsaved case and its parties.

Intake builds it from a validated appeal; routing assesses it (:func:`fengqiao.routing.
assessment.assess`) without writing anything; intake's writer stores it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from fengqiao.cases.models import Case, Party
from fengqiao.regions.models import Region


@dataclass
class CaseDraft:
    case: Case  # unsaved; status registered (the model's default), no code yet
    parties: list[Party] = field(default_factory=list)  # unsaved, not yet tied to the case
    kind_given: bool = False  # the registrar chose the kind (else the category's)


def address_key(region: Region, address: str) -> str:
    """The key that finds other cases at the same address in the same region ('' when the
    address is too short to mean a place)."""
    text = "".join((address or "").split())
    if len(text) < 4:
        return ""
    return hashlib.sha256(f"{region.code}|{text}".encode()).hexdigest()[:32]
