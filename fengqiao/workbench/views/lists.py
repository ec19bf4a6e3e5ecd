"""My work (worklists with counts) and the case list with filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fengqiao.cases.models import Category
from fengqiao.org.selectors import membership_of
from fengqiao.regions.models import Region
from fengqiao.workbench import selectors as sel
from fengqiao.workbench.forms import CaseFilterForm
from fengqiao.workbench.views.common import page_context, page_number, staff_required


def _filter_from(request: HttpRequest, form: CaseFilterForm, worklist: str) -> sel.CaseFilter:
    f = sel.CaseFilter(worklist=worklist)
    if form.is_valid():
        data = form.cleaned_data
        f.q = data.get("q") or ""
        f.status = data.get("status") or ""
        f.risk = data.get("risk") or ""
        f.channel = data.get("channel") or ""
        f.date_from = data.get("date_from")
        f.date_to = data.get("date_to")
        f.sort = data.get("sort") or "-registered_at"
        if data.get("category"):
            f.category = Category.objects.filter(pk=data["category"]).first()
        if data.get("region"):
            f.region = Region.objects.filter(code=data["region"].strip()).first()
    return f


def _list_context(request: HttpRequest, worklist: str) -> dict[str, Any]:
    membership = membership_of(request)
    form = CaseFilterForm(request.GET or None, category_choices=sel.category_choices())
    f = _filter_from(request, form, worklist)
    page = sel.page_of(sel.filter_cases(request.user, membership, f), page_number(request))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    region_options = (
        list(Region.objects.filter(parent_id=membership.unit.region_id).order_by("code")[:300])
        if membership is not None
        else []
    )
    query = urlencode(params)
    current_sort = params.get("sort", "-registered_at")
    sort_links = {}
    for column, (first, second) in {
        "code": ("code", "code"),
        "registered": ("-registered_at", "registered_at"),
        "deadline": ("deadline", "-deadline"),
        "risk": ("-risk", "-risk"),
    }.items():
        target = second if current_sort == first else first
        sort_links[column] = {
            "query": urlencode({**params, "sort": target}),
            "active": current_sort in (first, second),
            "descending": current_sort.startswith("-"),
        }
    return {
        "filter_form": form,
        "code_hint": sel.code_hint(request.user, membership, f.q) if f.q else None,
        "region_options": region_options,
        "page": page,
        "query": query,
        "sort_links": sort_links,
        "worklist": worklist,
        "worklist_label": sel.WORKLISTS.get(worklist, ""),
        "filtered": bool(params) or bool(worklist),
        "now": timezone.now(),
    }


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    counts = sel.worklist_counts(request.user, membership)
    worklist = request.GET.get("list") or (counts[0].key if counts else "")
    if worklist not in sel.WORKLISTS:
        worklist = ""
    ctx = page_context(request, counts=counts, **_list_context(request, worklist))
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "case-list":
        return render(request, "workbench/partials/case_table.html", ctx)
    return render(request, "workbench/home.html", ctx)


@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    ctx = page_context(request, **_list_context(request, request.GET.get("list", "")))
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "case-list":
        return render(request, "workbench/partials/case_table.html", ctx)
    return render(request, "workbench/case_list.html", ctx)
