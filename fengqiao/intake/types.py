"""What every door hands to registration: one typed appeal with its parties.

A door (the window's form, the citizen portal, the JSON API, a grid worker's phone, a
transfer from another system, a bulk import) turns its own input into an :class:`AppealIn`,
resolving codes to rows with its own error messages, and calls
:func:`fengqiao.intake.services.register_appeal`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import PartyKind, PartyRole
from fengqiao.cases.models import Category
from fengqiao.org.models import Unit
from fengqiao.regions.models import Grid, Region


class Door(StrEnum):
    """Where an appeal came in (the channel says how the citizen reached us; the door is
    which part of the system took it)."""

    WINDOW = "window"  # the staff workbench's registration form
    PORTAL = "portal"  # the citizen's web/H5 form
    API = "api"  # the JSON API
    GRID = "grid"  # a grid worker's field report
    TRANSFER = "transfer"  # 110 / 12345 / court / petition system, Open311
    IMPORT = "import"  # bulk import of historical cases
    DEMO = "demo"  # the demo county's loader
    CLUE = "clue"  # a citizen's clue report accepted by its reviewer (participation)

    @property
    def label(self) -> str:
        return str(DOOR_LABELS[self])


DOOR_LABELS = {
    Door.WINDOW: _("窗口登记"),
    Door.PORTAL: _("群众网上提交"),
    Door.API: _("接口登记"),
    Door.GRID: _("网格员上报"),
    Door.TRANSFER: _("外部转入"),
    Door.IMPORT: _("批量导入"),
    Door.DEMO: _("演示数据"),
    Door.CLUE: _("群众线索转立"),
}


@dataclass(frozen=True, slots=True)
class PartyIn:
    """A party to the appeal: the applicant, a respondent or another person involved."""

    name: str
    role: str = PartyRole.APPLICANT
    kind: str = PartyKind.PERSON
    phone: str = ""
    id_number: str = ""
    address: str = ""
    is_elderly: bool = False
    is_minor: bool = False
    is_disabled: bool = False


@dataclass(frozen=True, slots=True)
class AppealIn:
    """One appeal as a door received it, with its references resolved to rows."""

    center: Unit  # the center that registers it (受理中心)
    channel: str  # cases.choices.Channel
    title: str
    description: str
    region: Region  # where it happened
    parties: tuple[PartyIn, ...]
    category: Category | None = None  # None: routing proposes one from the text
    kind: str | None = None  # None: the category's kind
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    grid: Grid | None = None
    people_count: int = 1
    risk_floor: str = ""  # a level the registrar sets as the least (routing may raise it)
    note: str = ""  # the registrar's note on the registration event
    extra: dict = field(default_factory=dict)  # door-specific data kept on the event
    registered_at: dt.datetime | None = None  # None: now (imports and the demo give it)
