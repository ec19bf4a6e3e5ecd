"""Lookups the workbench and clients need: regions, categories, units."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from fengqiao.api import selectors
from fengqiao.api.routers.common import ERRORS
from fengqiao.api.schemas import CategoryOut, Id, RegionOut, UnitOut
from fengqiao.regions.models import Level

router = Router(tags=["lookups"])


@router.get(
    "/regions/{code}/children", response={200: list[RegionOut], **ERRORS}, summary="下级区划"
)
def region_children(
    request: HttpRequest, code: Annotated[str, Field(max_length=12)]
) -> list[dict[str, Any]]:
    region = selectors.get_region(code)
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "level_label": str(Level(r.level).label),
            "has_children": has_children,
        }
        for r, has_children in selectors.region_children(region)
    ]


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, summary="事项分类")
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "label": c.display_name,
            "parent": c.parent.code if c.parent_id else None,
            "kind": c.kind,
            "path": c.path,
        }
        for c in selectors.categories()
    ]


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="单位（本人管辖范围内）")
def units(
    request: HttpRequest,
    center: Annotated[Id | None, Query(description="综治中心 id：只列其辖区内的单位")] = None,
) -> list[dict[str, Any]]:
    return [
        {
            "id": u.pk,
            "name": u.name,
            "kind": u.kind,
            "kind_label": u.get_kind_display(),
            "unit_type": u.unit_type,
            "unit_type_label": u.get_unit_type_display(),
            "region": u.region_id,
            "center": u.center_id,
        }
        for u in selectors.visible_units(request.auth, center_id=center)
    ]
