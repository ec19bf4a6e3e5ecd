"""The tabs of grid management's pages, each shown to those who may use it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from fengqiao.grid import selectors as sel

register = template.Library()


@register.inclusion_tag("grid/_tabs.html", takes_context=True)
def grid_tabs(context: dict[str, Any], current: str) -> dict[str, Any]:
    user = context["request"].user
    region = context.get("region")
    q = f"?region={region.code}" if region is not None and hasattr(region, "code") else ""
    tabs = []
    if sel.home_regions(user):
        tabs += [
            ("home", _("网格与覆盖"), reverse("grid:index") + q),
            ("map", _("网格地图"), reverse("grid:map") + q),
        ]
    if sel.own_grid_ids(user) and sel.is_grid_worker(user):
        tabs += [
            ("mine", _("我的网格"), reverse("grid:index")),
            ("report", _("上报事件"), reverse("grid:report")),
            ("worklog", _("日志与巡逻"), reverse("grid:worklog")),
        ]
    if sel.may_use_grid(user):
        tabs += [
            ("basedata", _("基础数据"), reverse("grid:residents")),
            ("campaigns", _("排查行动"), reverse("grid:campaigns")),
        ]
    if sel.may_see_key_people(user):
        tabs.append(("keypeople", _("重点人员"), reverse("grid:key_people")))
    if sel.director_paths(user):
        tabs.append(("reveals", _("信息查看记录"), reverse("grid:reveal_log")))
    return {
        "tabs": [{"key": k, "label": label, "url": url} for k, label, url in tabs],
        "tab": current,
    }
