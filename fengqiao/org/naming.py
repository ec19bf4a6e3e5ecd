"""The name of a comprehensive governance center (综治中心), derived from its division.

An official division name often names the *body* that governs the place (社区居委会, 村委会,
街道办事处) rather than the place itself. A center is named after the place: the body's
words go, the place's kind stays, and "综治中心" is added once.

    新街社区居委会 → 新街社区综治中心      朝阳村委会 / 朝阳村民委员会 → 朝阳村综治中心
    城关镇 → 城关镇综治中心                 新华街道办事处 / 新华街道 → 新华街道综治中心
    沙河乡 → 沙河乡综治中心                 云梦县 → 云梦县综治中心
    朝阳居委会 → 朝阳社区综治中心           台湖管理区 / 台湖农场 / 开发区 → …综治中心
"""

from __future__ import annotations

from typing import Protocol

CENTER_SUFFIX = "综治中心"

# (ending of the official name, what the place is called instead), longest first where one
# ending is the tail of another. Only the first that matches applies.
_BODY_ENDINGS: tuple[tuple[str, str], ...] = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("社区委员会", "社区"),
    ("社区委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村委员会", "村"),
    ("村委会", "村"),
    ("街道办事处", "街道"),
    ("街道办", "街道"),
    ("管理委员会", ""),
    ("管委会", ""),
    ("办事处", ""),
    ("委员会", ""),
    ("委会", ""),
)
# Older or longer forms of the center's own suffix: a name ending so is already a center's.
_CENTER_ENDINGS = (CENTER_SUFFIX, "社会治安综合治理中心", "综合治理中心")


class _Named(Protocol):
    name: str


def place_name(division_name: str) -> str:
    """The place an official division name stands for (its governing body's words dropped)."""
    name = division_name.strip()
    for ending, replacement in _BODY_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)] + replacement
    return name


def center_name(division_name: str) -> str:
    """The center's name for a division's official name (see the module's examples)."""
    name = division_name.strip()
    if name.endswith(_CENTER_ENDINGS):
        return name
    return place_name(name) + CENTER_SUFFIX


def center_name_for(region: _Named) -> str:
    """The name of the center of ``region`` (a :class:`fengqiao.regions.models.Region`)."""
    return center_name(region.name)
