"""The citizen's region picker (county → township → village), below a chosen center: used by
every citizen page that asks where something happened (the portal's appeal, a clue report)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.regions.models import Level, Region

PICKER_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def served_counties() -> QuerySet[Region]:
    """Counties where some active center takes appeals (a county or anything below it)."""
    county_codes = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True).values(
        "region__county_code"
    )
    return Region.objects.filter(level=Level.COUNTY, code__in=county_codes).order_by("code")


@dataclass
class PickerLevel:
    """One select of the region picker: its field name, options and the chosen code."""

    name: str
    level: int
    options: list[tuple[str, str]] = field(default_factory=list)
    selected: str = ""
    fixed: Region | None = None  # set by the chosen center: shown as text, not a select
    waiting: bool = False  # the level above is not chosen yet

    @property
    def is_empty(self) -> bool:
        return not self.fixed and not self.options


@dataclass
class RegionPicker:
    """County → township → village, below the chosen center's region when there is one."""

    levels: list[PickerLevel]
    region: Region | None  # the deepest chosen region

    def level(self, name: str) -> PickerLevel:
        return next(lvl for lvl in self.levels if lvl.name == name)


NAMES = {Level.COUNTY: "county", Level.TOWNSHIP: "township", Level.VILLAGE: "village"}


def region_picker(values: dict[str, str], center: Unit | None = None) -> RegionPicker:
    """The picker's state for the submitted values, dropping any choice that does not lie
    under the one above it (so a tampered or stale value never passes)."""
    levels: list[PickerLevel] = []
    parent: Region | None = None
    root = center.region if center else None
    for level in PICKER_LEVELS:
        name = NAMES[level]
        entry = PickerLevel(name=name, level=level)
        levels.append(entry)
        if root is not None and level <= root.level:
            # Above or at the center's own level: fixed by the center.
            fixed = (
                root
                if level == root.level
                else Region.objects.filter(code__in=root.ancestor_codes, level=level).first()
            )
            entry.fixed = fixed
            entry.selected = fixed.code if fixed else ""
            parent = fixed or parent
            continue
        if level == Level.COUNTY:
            # A center above county level (a city's) offers only its own counties.
            candidates = (
                served_counties()
                if root is None
                else served_counties().filter(path__startswith=root.path)
            )
        elif parent is None:
            entry.waiting = True
            continue
        else:
            candidates = parent.children.filter(level=level).order_by("code")
        regions = {r.code: r for r in candidates.only("code", "name", "level", "path")}
        entry.options = [(code, r.name) for code, r in regions.items()]
        wanted = (values.get(name) or "").strip()
        if len(regions) == 1 and level == Level.COUNTY:
            wanted = next(iter(regions))
        if wanted in regions:
            entry.selected = wanted
            parent = regions[wanted]
        else:
            parent = None  # nothing chosen here: the levels below stay empty
    chosen = None
    deepest = [e.selected for e in levels if e.selected]
    if deepest:
        chosen = Region.objects.filter(code=deepest[-1]).first()
    return RegionPicker(levels=levels, region=chosen)
