"""The case page: its fields, parties, history and the moves the user may make."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.cases import services as case_services
from fengqiao.cases import workflow
from fengqiao.cases.choices import Action, AssignmentRole, AssignmentStatus, Status
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import (
    actor_context,
    allowed_transitions,
    may_release_co_handler,
)
from fengqiao.core.errors import DomainError
from fengqiao.deadlines import services as dl
from fengqiao.deadlines.choices import ExtensionStatus, TimerKind
from fengqiao.deadlines.selectors import case_clocks
from fengqiao.followup.selectors import open_visit_task, staff_visit_methods
from fengqiao.followup.services import VISIT_ROLES
from fengqiao.org.choices import Role
from fengqiao.org.models import Membership, Unit
from fengqiao.org.selectors import active_memberships, membership_of
from fengqiao.regions.models import Level
from fengqiao.routing.dispatch import suggest_units
from fengqiao.routing.models import CaseRouting
from fengqiao.routing.selectors import may_correct_category
from fengqiao.supervision.services import ISSUE_ROLES, REPLY_ROLES
from fengqiao.workbench import selectors as sel
from fengqiao.workbench import services
from fengqiao.workbench.forms import (
    ActionForm,
    AttachmentForm,
    CoReportForm,
    ReplyForm,
    SuperviseForm,
    VisitForm,
)
from fengqiao.workbench.views.common import case_in_scope, not_found, page_context, staff_required

ACTION_ORDER = [
    Action.SIGN, Action.RESOLVE, Action.DISPATCH, Action.MEDIATE, Action.SETTLE, Action.ANSWER,
    Action.CLOSE, Action.SEND_BACK, Action.RETURN, Action.ESCALATE, Action.DELEGATE,
    Action.REOPEN, Action.ARCHIVE, Action.REJECT, Action.WITHDRAW,
]  # fmt: skip


def _unit_options(case: Case) -> sel.UnitChoices:
    """The dispatch picker's groups: suggested units (with their reasons) first."""
    suggested = [
        (s.unit, str(_("；")).join(str(r) for r in s.reasons[1:3] or s.reasons[:1]))
        for s in suggest_units(case)
    ]
    return sel.grouped_unit_choices(sel.dispatch_units(case), suggested)


def _action_forms(request: HttpRequest, case: Case, membership: Membership | None, bound=None):
    """One form per action this user may take now, in a stable order."""
    allowed = allowed_transitions(
        request.user, case, membership_id=membership.id if membership else None
    )
    by_action = {t.action: t for t, _m in allowed}
    if Action.ARCHIVE in by_action and open_visit_task(case) is not None:
        # With a visit task, archiving goes through the visit back (满意 archives it).
        del by_action[Action.ARCHIVE]
    out = []
    for action in ACTION_ORDER:
        t = by_action.get(action)
        if t is None:
            continue
        units = centers = ()
        if workflow.LEAD_UNIT in t.requires:
            units = _unit_options(case)
        if workflow.TARGET_CENTER in t.requires:
            centers = [
                (u.pk, u.name) for u in sel.target_centers(case, up=action == Action.ESCALATE)
            ]
        data = bound[1] if bound and bound[0] == action else None
        form = ActionForm(
            data,
            requires=t.requires,
            action=action,
            units=units,
            centers=centers,
            initial={"expected_version": case.version},
            prefix=action,
        )
        out.append({"action": action, "label": Action(action).label, "form": form})
    return out


def detail_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    membership = membership_of(request)
    mid = membership.id if membership else None
    ctx_roles = actor_context(request.user, case, membership_id=mid)

    can_supervise = ctx_roles.has(ISSUE_ROLES) is not None and case.is_open
    can_reply = ctx_roles.has(REPLY_ROLES) is not None
    can_reveal = ctx_roles.has(services.REVEAL_ROLES) is not None
    visit = open_visit_task(case) if ctx_roles.has(VISIT_ROLES) else None
    co_units = {m.unit_id for m in active_memberships(request.user, mid) if m.role == Role.HANDLER}
    assignments = list(case.assignments.select_related("unit").order_by("role", "id"))
    co_pending = [
        a
        for a in assignments
        if a.role == AssignmentRole.CO
        and a.unit_id in co_units
        and a.status in (AssignmentStatus.PENDING, AssignmentStatus.SIGNED)
    ]
    co_waiting = [
        a
        for a in assignments
        if a.role == AssignmentRole.CO
        and a.status in (AssignmentStatus.PENDING, AssignmentStatus.SIGNED)
    ]
    raw_clocks = case_clocks(case)
    orders = list(
        case.supervision_orders.select_related("unit", "issued_by").prefetch_related("replies")
    )
    # Only links to cases this role may see: a related case out of scope stays invisible.
    links = list(
        case.links.filter(other__in=sel.scoped_cases(request.user, membership))
        .select_related("other")
        .order_by("kind", "-score", "id")[:20]
    )
    return page_context(
        request,
        case=case,
        **_clock_context(case, ctx_roles, raw_clocks),
        **_routing_context(request, case, membership),
        parties=list(case.parties.all()),
        assignments=assignments,
        events=list(case.events.select_related("actor").order_by("seq")),
        attachments=list(case.attachments.all()),
        orders=orders,
        links=links,
        risk_factors=case.risk_factors or [],
        clocks=sel.case_clocks_shown(raw_clocks),
        tier_label=Level(case.tier_level).label if case.tier_level in Level.values else "",
        actions=extra.pop("actions", None) or _action_forms(request, case, membership),
        can_supervise=can_supervise,
        can_reply=can_reply,
        can_reveal=can_reveal,
        co_pending=co_pending,
        co_waiting=co_waiting,
        co_waiting_names="、".join(a.unit.name for a in co_waiting),
        can_release=bool(co_waiting)
        and case.is_open
        and may_release_co_handler(request.user, case, membership_id=mid),
        supervise_form=extra.pop("supervise_form", None) or SuperviseForm(prefix="sv"),
        reply_form=ReplyForm(prefix="rp"),
        co_form=extra.pop("co_form", None) or CoReportForm(prefix="co"),
        visit_task=visit,
        visit_form=extra.pop("visit_form", None)
        or VisitForm(prefix="vs", methods=staff_visit_methods()),
        attachment_form=AttachmentForm(),
        revealed=extra.pop("revealed", {}),
        **extra,
    )


def _clock_context(case: Case, ctx_roles, raw_clocks: list) -> dict[str, Any]:
    """Pause/resume, extension requests and decisions: shown only where the deadlines
    services would allow them (the services check again)."""

    def lead(roles) -> bool:
        m = ctx_roles.has(roles)
        return m is not None and (m.role != Role.HANDLER or m.unit_id == case.lead_unit_id)

    timer = next((c for c in raw_clocks if c.kind == TimerKind.RESOLVE), None)
    running = (
        timer is not None
        and timer.is_running
        and case.status in (Status.DISPATCHED, Status.HANDLING)
    )
    paused = timer is not None and timer.paused_since is not None
    extensions = (
        list(case.extension_requests.select_related("unit", "requested_by", "decided_by"))
        if timer is not None
        else []
    )
    pending = any(e.status == ExtensionStatus.PENDING for e in extensions)
    return {
        "extensions": extensions,
        "can_pause": running and not paused and lead(dl.PAUSE_ROLES),
        "can_resume": paused and lead(dl.PAUSE_ROLES),
        "can_extend": running and not pending and lead(dl.REQUEST_ROLES),
        "can_decide": pending and lead(dl.DECIDE_ROLES),
    }


def _routing_context(
    request: HttpRequest, case: Case, membership: Membership | None
) -> dict[str, Any]:
    """The routing suggestion (category, confidence, top words) and, for the center's
    dispatchers and directors, the category correction form."""
    try:
        routing = case.routing  # select_related by case_in_scope
    except CaseRouting.DoesNotExist:
        routing = None
    can_correct = may_correct_category(
        request.user, case, membership_id=membership.id if membership else None
    )
    return {
        "routing": routing,
        "routing_terms": [
            t[0] if isinstance(t, list | tuple) else t for t in (routing.top_terms or [])
        ][:8]
        if routing
        else [],
        "can_correct": can_correct,
        "category_options": sel.category_choices() if can_correct else [],
    }


@staff_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    return render(request, "workbench/case_detail.html", detail_context(request, case))


@staff_required
@require_POST
def case_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    membership = membership_of(request)
    if action not in Action.values:
        return not_found(request)
    forms = _action_forms(request, case, membership, bound=(action, request.POST))
    entry = next((f for f in forms if f["action"] == action), None)
    if entry is None:
        messages.error(request, _("您当前不能对该案件执行此操作，请刷新页面。"))
        return redirect("workbench:case", code=case.code)
    form = entry["form"]
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        lead = (
            Unit.objects.filter(pk=data.get("lead_unit")).first() if data.get("lead_unit") else None
        )
        co = list(Unit.objects.filter(pk__in=data.get("co_units") or []))
        target = (
            Unit.objects.filter(pk=data.get("target_center")).first()
            if data.get("target_center")
            else None
        )
        try:
            case_services.transition(
                case=case,
                action=action,
                actor=request.user,
                membership_id=membership.id if membership else None,
                note=data.get("note", ""),
                result=data.get("result", ""),
                public_result=data.get("public_result", ""),
                lead_unit=lead,
                co_units=co,
                target_center=target,
                satisfaction=data.get("satisfaction", ""),
                expected_version=data.get("expected_version"),
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": Action(action).label})
            return redirect("workbench:case", code=case.code)
    ctx = detail_context(request, case, actions=forms, open_action=action, action_error=error)
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def reveal(request: HttpRequest, code: str, party_id: int) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    party = case.parties.filter(pk=party_id).first()
    membership = membership_of(request)
    try:
        if party is None:
            raise services.ValidationFailed(_("当事人不存在。"))
        shown = services.reveal_party(
            case=case,
            party=party,
            actor=request.user,
            membership_id=membership.id if membership else None,
            request=request,  # security (issue 18): the address and the reason on the trail
            reason=request.POST.get("reason", "")[:200],
        )
    except DomainError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(f'<p class="error" role="alert">{exc.message}</p>', status=403)
        messages.error(request, str(exc.message))
        return redirect("workbench:case", code=case.code)
    if request.headers.get("HX-Request"):
        return render(request, "workbench/partials/party_revealed.html", {"shown": shown})
    ctx = detail_context(request, case, revealed={party.pk: shown})
    return render(request, "workbench/case_detail.html", ctx)


@staff_required
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_services.add_attachment(
                case=case, upload=form.cleaned_data["file"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("附件已上传。"))
    else:
        messages.error(request, _("请选择文件。"))
    return redirect(reverse("workbench:case", kwargs={"code": case.code}) + "#attachments")
