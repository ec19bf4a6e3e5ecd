"""Registering an appeal at the window, its live hints and its receipt."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.qr import qr_svg, tracking_url
from fengqiao.cases.selectors import REGISTER_ROLES
from fengqiao.core.errors import DomainError
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import Door
from fengqiao.org.models import Unit
from fengqiao.org.selectors import membership_of
from fengqiao.regions.models import Region
from fengqiao.workbench import selectors as sel
from fengqiao.workbench.forms import RegisterCaseForm
from fengqiao.workbench.views.common import case_in_scope, not_found, page_context, staff_required


def _picker_context(center: Unit, chosen: Region | None) -> dict[str, Any]:
    return {
        "levels": sel.region_chain(center.region, chosen),
        "chosen": chosen.code if chosen else "",
        "root": center.region,
    }


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    center = sel.registration_center(membership)
    if center is None or membership.role not in REGISTER_ROLES:
        return render(
            request,
            "workbench/error.html",
            page_context(
                request,
                title=_("不能登记案件"),
                message=_("当前角色不能登记案件，请切换到综治中心的受理、调度或主任角色。"),
            ),
            status=403,
        )
    form = RegisterCaseForm(request.POST or None, category_choices=sel.category_choices())
    error = ""
    chosen = None
    # The form's one-time token is its idempotency key: a second submit of the same form (a
    # double click, a retry after a timeout) shows the first receipt instead of a new case.
    token = request.POST.get("form_token", "") or secrets.token_urlsafe(16)
    if request.method == "POST":
        chosen = Region.objects.filter(code=request.POST.get("region", "").strip()).first()
    if request.method == "POST" and form.is_valid():
        if chosen is None or not chosen.is_within(center.region):
            form.add_error("region", _("请选择本中心辖区内的发生地。"))
        else:
            try:
                registration = register_appeal(
                    appeal=form.appeal(center=center, region=chosen),
                    door=Door.WINDOW,
                    actor=request.user,
                    key=token,
                )
            except DomainError as exc:
                error = str(exc.message)
            else:
                code = registration.case.code
                if registration.created:
                    messages.success(request, _("已受理，案件编号 %(code)s。") % {"code": code})
                return redirect("workbench:receipt", code=code)
    ctx = page_context(
        request,
        form=form,
        error=error,
        center=center,
        form_token=token,
        **_picker_context(center, chosen),
    )
    return render(
        request, "workbench/register.html", ctx, status=400 if form.errors or error else 200
    )


@staff_required
def region_picker(request: HttpRequest) -> HttpResponse:
    center = sel.registration_center(membership_of(request))
    if center is None:
        return HttpResponse(status=204)
    chosen = Region.objects.filter(code=request.GET.get("region", "").strip()).first()
    if chosen is not None and not chosen.is_within(center.region):
        chosen = None
    return render(request, "workbench/partials/region_picker.html", _picker_context(center, chosen))


@staff_required
def register_check(request: HttpRequest) -> HttpResponse:
    """Live hints while registering: duplicates by phone/ID/address, category suggestions."""
    membership = membership_of(request)
    data = request.POST if request.method == "POST" else request.GET
    region = Region.objects.filter(code=data.get("region", "").strip()).first()
    dups = sel.duplicates(
        request.user,
        membership,
        phones=[data.get("applicant_phone", ""), data.get("respondent_phone", "")],
        id_numbers=[data.get("applicant_id_number", ""), data.get("respondent_id_number", "")],
        region=region,
        address=data.get("address", ""),
    )
    suggestions = sel.suggest_categories(f"{data.get('title', '')} {data.get('description', '')}")
    return render(
        request,
        "workbench/partials/register_hints.html",
        {"duplicates": dups, "suggestions": suggestions},
    )


@staff_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    url = tracking_url(case.code)
    applicant = case.parties.filter(role=PartyRole.APPLICANT).first()
    return render(
        request,
        "workbench/receipt.html",
        page_context(
            request,
            case=case,
            applicant=applicant,
            tracking_url=url,
            qr_svg=qr_svg(url),
        ),
    )
