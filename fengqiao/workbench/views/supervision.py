"""The supervision list (督办)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fengqiao.org.selectors import membership_of
from fengqiao.supervision import selectors as sv
from fengqiao.supervision.choices import OrderStatus
from fengqiao.supervision.selectors import OrderFilters, may_see_supervision
from fengqiao.workbench.views.common import page_context, page_number, staff_required

SUPERVISION_PAGE_SIZE = 50


def _order_filters(request: HttpRequest) -> Any:

    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get(name, "").strip())
        except ValueError:
            return None

    unit = request.GET.get("unit", "")
    auto = request.GET.get("auto", "")
    return OrderFilters(
        grade=request.GET.get("grade", "").strip(),
        status=request.GET.get("status", "").strip(),
        unit_id=int(unit) if unit.isdigit() else None,
        is_automatic={"1": True, "0": False}.get(auto),
        issued_from=day("from"),
        issued_to=day("to"),
    )


@staff_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    if not may_see_supervision(request.user, membership):
        return render(
            request,
            "workbench/error.html",
            page_context(
                request,
                title=_("无权访问"),
                message=_("当前角色不能查看督办列表。"),
            ),
            status=403,
        )
    mid = membership.id if membership else None
    filters = _order_filters(request)
    number = max(page_number(request), 1)
    start = (number - 1) * SUPERVISION_PAGE_SIZE
    rows = list(
        sv.supervision_orders(request.user, filters, membership_id=mid)[
            start : start + SUPERVISION_PAGE_SIZE + 1
        ]
    )
    has_next = len(rows) > SUPERVISION_PAGE_SIZE
    units = (
        sv.supervision_orders(request.user, None, membership_id=mid)
        .order_by("unit__name")
        .values_list("unit_id", "unit__name")
        .distinct()[:300]
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    grade_names = dict(sv.grade_choices())
    return render(
        request,
        "workbench/supervision_list.html",
        page_context(
            request,
            rows=rows[:SUPERVISION_PAGE_SIZE],
            page_number=number,
            has_next=has_next,
            query=urlencode(params),
            params=params,
            grade_options=sv.grade_choices(),
            status_options=[("active", _("未办结")), *OrderStatus.choices],
            unit_options=[(u, n) for u, n in units if u is not None],
            counts=sv.supervision_counts(request.user, filters, membership_id=mid),
            grade_totals=[
                (grade_names.get(g, g), n)
                for g, n in sv.grade_totals(request.user, filters, membership_id=mid).items()
            ],
        ),
    )
