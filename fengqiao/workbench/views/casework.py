"""The work on a case besides its moves: clocks, extensions, co-handling, visits, supervision,
the category correction."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.cases import services as case_services
from fengqiao.cases.models import Case, Category
from fengqiao.cases.selectors import pending_co_unit
from fengqiao.core.errors import DomainError
from fengqiao.deadlines.services import (
    decide_extension,
    pause_clock,
    request_extension,
    resume_clock,
)
from fengqiao.followup.selectors import open_visit_task, staff_visit_methods
from fengqiao.followup.services import record_visit
from fengqiao.org.models import Unit
from fengqiao.org.selectors import membership_of
from fengqiao.routing.services import correct_category
from fengqiao.supervision.services import issue_order, reply_to_order
from fengqiao.workbench import services
from fengqiao.workbench.forms import (
    CoReportForm,
    ReplyForm,
    SuperviseForm,
    VisitForm,
)
from fengqiao.workbench.views.case import detail_context
from fengqiao.workbench.views.common import case_in_scope, not_found, staff_required


def _case_post(request: HttpRequest, code: str, anchor: str, call, done: str) -> HttpResponse:
    """Run one service call for a case in scope; its error becomes the page's message."""
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    try:
        call(case)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
    return redirect(reverse("workbench:case", kwargs={"code": case.code}) + anchor)


@staff_required
@require_POST
def clock_pause(request: HttpRequest, code: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _case_post(
        request,
        code,
        "#clocks",
        lambda case: pause_clock(case=case, actor=request.user, reason=reason),
        _("已暂停计时。"),
    )


@staff_required
@require_POST
def clock_resume(request: HttpRequest, code: str) -> HttpResponse:
    return _case_post(
        request,
        code,
        "#clocks",
        lambda case: resume_clock(case=case, actor=request.user),
        _("已恢复计时。"),
    )


@staff_required
@require_POST
def extension_request(request: HttpRequest, code: str) -> HttpResponse:
    def call(case: Case) -> None:
        try:
            days = int(request.POST.get("days", ""))
        except ValueError:
            raise services.ValidationFailed(_("请填写延期天数。"), field="days") from None
        request_extension(
            case=case, actor=request.user, days=days, reason=request.POST.get("reason", "")
        )

    return _case_post(request, code, "#clocks", call, _("延期申请已提交。"))


@staff_required
@require_POST
def extension_decide(request: HttpRequest, code: str, request_id: int) -> HttpResponse:
    approve = request.POST.get("approve") == "1"

    def call(case: Case) -> None:
        found = case.extension_requests.filter(pk=request_id).first()
        if found is None:
            raise services.ValidationFailed(_("延期申请不存在。"))
        decide_extension(
            request=found, actor=request.user, approve=approve, note=request.POST.get("note", "")
        )

    return _case_post(
        request,
        code,
        "#clocks",
        call,
        _("已批准延期。") if approve else _("已决定不予延期。"),
    )


@staff_required
@require_POST
def category_correct(request: HttpRequest, code: str) -> HttpResponse:
    def call(case: Case) -> None:
        raw = request.POST.get("category", "")
        category = Category.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if category is None:
            raise services.ValidationFailed(_("请选择分类。"), field="category")
        correct_category(case=case, category=category, actor=request.user)

    return _case_post(request, code, "#routing", call, _("分类已更正。"))


@staff_required
@require_POST
def co_report(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    membership = membership_of(request)
    form = CoReportForm(request.POST, prefix="co")
    error = ""
    if form.is_valid():
        unit = pending_co_unit(
            request.user, case, membership_id=membership.id if membership else None
        )
        try:
            if unit is None:
                raise services.PermissionDenied(_("您所在单位没有待反馈的协办任务。"))
            case_services.report_co_handling(
                case=case, actor=request.user, unit=unit, report=form.cleaned_data["report"]
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("协办反馈已提交。"))
            return redirect("workbench:case", code=case.code)
    ctx = detail_context(request, case, co_form=form, open_action="co_report", action_error=error)
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def visit(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    task = open_visit_task(case)
    form = VisitForm(request.POST, prefix="vs", methods=staff_visit_methods())
    error = ""
    if task is None:
        error = _("该案件没有待回访任务。")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            record_visit(
                task=task,
                actor=request.user,
                method=data["method"],
                reached=data["reached"],
                reached_person=data["reached_person"],
                satisfaction=data["satisfaction"],
                comment=data["comment"],
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("回访已记录。"))
            return redirect("workbench:case", code=case.code)
    ctx = detail_context(request, case, visit_form=form, open_action="visit", action_error=error)
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def supervise(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    form = SuperviseForm(request.POST, prefix="sv")
    error = ""
    if form.is_valid():
        try:
            issue_order(
                case=case,
                grade=form.cleaned_data["grade"],
                requirement=form.cleaned_data["requirement"],
                reply_deadline=form.cleaned_data["reply_deadline"],
                actor=request.user,
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("督办单已下发。"))
            return redirect("workbench:case", code=case.code)
    ctx = detail_context(
        request, case, supervise_form=form, open_action="supervise", action_error=error
    )
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def supervision_reply(request: HttpRequest, code: str, order_id: int) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    order = case.supervision_orders.filter(pk=order_id).first()
    form = ReplyForm(request.POST, prefix="rp")
    if order is None:
        return not_found(request)
    if form.is_valid():
        try:
            reply_to_order(order=order, actor=request.user, text=form.cleaned_data["text"])
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已回复督办单。"))
    else:
        messages.error(request, _("请填写回复内容。"))
    return redirect("workbench:case", code=case.code)


@staff_required
@require_POST
def co_release(request: HttpRequest, code: str) -> HttpResponse:
    """The dispatcher releases a co-handling unit that has not reported (with a reason)."""
    membership = membership_of(request)
    raw = request.POST.get("unit", "")

    def call(case: Case) -> None:
        unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if unit is None:
            raise services.ValidationFailed(_("请选择协办单位。"), field="unit")
        case_services.release_co_handler(
            case=case,
            unit=unit,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            membership_id=membership.id if membership else None,
        )

    return _case_post(request, code, "#sec-units", call, _("已解除该单位的协办任务。"))
