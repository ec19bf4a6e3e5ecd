"""Staff pages: thin views that parse, call a service or selector and render."""

from __future__ import annotations

import secrets
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.cases import services as case_services
from fengqiao.cases import workflow
from fengqiao.cases.choices import Action, AssignmentRole, AssignmentStatus, PartyRole, Status
from fengqiao.cases.models import Case, Category
from fengqiao.cases.selectors import (
    REGISTER_ROLES,
    active_memberships,
    actor_context,
    allowed_transitions,
)
from fengqiao.core.errors import DomainError
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import Door
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit, User
from fengqiao.org.selectors import SESSION_KEY, membership_of
from fengqiao.regions.models import Level, Region
from fengqiao.workbench import integrations, services
from fengqiao.workbench import selectors as sel
from fengqiao.workbench.forms import (
    ActionForm,
    AttachmentForm,
    CaseFilterForm,
    CoReportForm,
    LoginForm,
    RegisterCaseForm,
    ReplyForm,
    SuperviseForm,
    VisitForm,
)

MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
VISIT_ROLES = frozenset({Role.RECEPTIONIST, Role.DISPATCHER, Role.DIRECTOR, Role.SUPERVISOR})
# Actions of the table, in the order the detail page offers them.
ACTION_ORDER = [
    Action.SIGN, Action.RESOLVE, Action.DISPATCH, Action.MEDIATE, Action.SETTLE, Action.ANSWER,
    Action.CLOSE, Action.SEND_BACK, Action.RETURN, Action.ESCALATE, Action.DELEGATE,
    Action.REOPEN, Action.ARCHIVE, Action.REJECT, Action.WITHDRAW,
]  # fmt: skip


# --- helpers -------------------------------------------------------------------------------


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """What every staff page shows: the roles to switch between, the unread count."""
    membership = membership_of(request)
    memberships = active_memberships(request.user)
    return {
        "membership": membership,
        "memberships": memberships,
        "can_manage": _can_manage(request.user, memberships),
        "unread_count": integrations.unread_count(request.user),
        "has_inbox": integrations.has_inbox(),
        "has_tokens": integrations.has_tokens(),
        "can_supervision": can_see_supervision(request.user, membership),
        **extra,
    }


def _can_manage(user: User, memberships: list[Membership]) -> bool:
    return user.is_superuser or any(m.role in MANAGE_ROLES for m in memberships)


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not _can_manage(request.user, active_memberships(request.user)):
            return render(
                request,
                "workbench/error.html",
                page_context(
                    request,
                    title=_("无权访问"),
                    message=_("只有中心主任和系统管理员可以访问此页面。"),
                ),
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/error.html",
        page_context(
            request,
            title=_("未找到案件"),
            message=_("案件不存在，或不在您当前角色的查看范围内。"),
        ),
        status=404,
    )


def _case_or_none(request: HttpRequest, code: str) -> Case | None:
    membership = membership_of(request)
    return (
        sel.scoped_cases(request.user, membership)
        .select_related(
            "category__parent",
            "region",
            "center",
            "lead_unit",
            "first_unit",
            "grid",
            "routing__category__parent",
        )
        .filter(code=code.strip().upper())
        .first()
    )


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


# --- login, logout, password, role ----------------------------------------------------------


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("workbench:home")
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_with_lockout(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            login(request, user)
            request.session.pop(SESSION_KEY, None)
            return redirect(_safe_next(request, reverse("workbench:home")))
    return render(
        request,
        "workbench/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
        status=400 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("workbench:login")


@staff_required
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("workbench:home")
    return render(request, "workbench/password.html", page_context(request, form=form))


@staff_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        wanted = None
    if any(m.id == wanted for m in active_memberships(request.user)):
        request.session[SESSION_KEY] = wanted
    return redirect(_safe_next(request, reverse("workbench:home")))


# --- home and lists -------------------------------------------------------------------------


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


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _list_context(request: HttpRequest, worklist: str) -> dict[str, Any]:
    membership = membership_of(request)
    form = CaseFilterForm(request.GET or None, category_choices=sel.category_choices())
    f = _filter_from(request, form, worklist)
    page = sel.page_of(sel.filter_cases(request.user, membership, f), _page_number(request))
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


# --- registration -----------------------------------------------------------------------------


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
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
    url = integrations.tracking_url(case.code)
    applicant = case.parties.filter(role=PartyRole.APPLICANT).first()
    return render(
        request,
        "workbench/receipt.html",
        page_context(
            request,
            case=case,
            applicant=applicant,
            tracking_url=url,
            qr_svg=integrations.qr_svg(url),
        ),
    )


# --- case detail and actions -----------------------------------------------------------------


def _unit_options(units: list[Unit], suggested: list[Unit]) -> list:
    suggested_ids = [u.pk for u in suggested]
    top = [(u.pk, f"★ {u.name}") for u in suggested]
    rest = [
        (u.pk, f"{u.name} · {u.get_kind_display()}") for u in units if u.pk not in suggested_ids
    ]
    if top:
        return [(_("建议"), top), (_("全部单位"), rest)]
    return rest


def _action_forms(request: HttpRequest, case: Case, membership: Membership | None, bound=None):
    """One form per action this user may take now, in a stable order."""
    allowed = allowed_transitions(
        request.user, case, membership_id=membership.id if membership else None
    )
    by_action = {t.action: t for t, _m in allowed}
    if Action.ARCHIVE in by_action and integrations.visit_task(case) is not None:
        # With a visit task, archiving goes through the visit back (满意 archives it).
        del by_action[Action.ARCHIVE]
    out = []
    for action in ACTION_ORDER:
        t = by_action.get(action)
        if t is None:
            continue
        units = centers = ()
        if workflow.LEAD_UNIT in t.requires:
            units = _unit_options(sel.dispatch_units(case), integrations.suggest_units(case))
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


def _detail_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    membership = membership_of(request)
    mid = membership.id if membership else None
    ctx_roles = actor_context(request.user, case, membership_id=mid)
    from fengqiao.supervision.services import ISSUE_ROLES, REPLY_ROLES

    can_supervise = ctx_roles.has(ISSUE_ROLES) is not None and case.is_open
    can_reply = ctx_roles.has(REPLY_ROLES) is not None
    can_reveal = ctx_roles.has(services.REVEAL_ROLES) is not None
    visit = integrations.visit_task(case) if ctx_roles.has(VISIT_ROLES) else None
    co_units = {m.unit_id for m in active_memberships(request.user, mid) if m.role == Role.HANDLER}
    assignments = list(case.assignments.select_related("unit").order_by("role", "id"))
    co_pending = [
        a
        for a in assignments
        if a.role == AssignmentRole.CO
        and a.unit_id in co_units
        and a.status in (AssignmentStatus.PENDING, AssignmentStatus.SIGNED)
    ]
    raw_clocks = integrations.raw_clocks(case)
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
        clocks=integrations.clocks(case, raw_clocks),
        tier_label=Level(case.tier_level).label if case.tier_level in Level.values else "",
        actions=extra.pop("actions", None) or _action_forms(request, case, membership),
        can_supervise=can_supervise,
        can_reply=can_reply,
        can_reveal=can_reveal,
        co_pending=co_pending,
        supervise_form=extra.pop("supervise_form", None) or SuperviseForm(prefix="sv"),
        reply_form=ReplyForm(prefix="rp"),
        co_form=extra.pop("co_form", None) or CoReportForm(prefix="co"),
        visit_task=visit,
        visit_form=extra.pop("visit_form", None)
        or VisitForm(prefix="vs", methods=integrations.visit_methods()),
        attachment_form=AttachmentForm(),
        revealed=extra.pop("revealed", {}),
        **extra,
    )


def _clock_context(case: Case, ctx_roles, raw_clocks: list) -> dict[str, Any]:
    """Pause/resume, extension requests and decisions: shown only where the deadlines
    services would allow them (the services check again)."""
    try:
        from fengqiao.deadlines import services as dl
        from fengqiao.deadlines.choices import ExtensionStatus, TimerKind
    except ImportError:
        return {}

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


CORRECT_ROLES = frozenset({Role.DISPATCHER, Role.DIRECTOR})


def _routing_context(
    request: HttpRequest, case: Case, membership: Membership | None
) -> dict[str, Any]:
    """The routing suggestion (category, confidence, top words) and, for the center's
    dispatchers and directors, the category correction form."""
    try:
        from fengqiao.routing.models import CaseRouting
    except ImportError:
        return {}
    try:
        routing = case.routing  # select_related by _case_or_none
    except CaseRouting.DoesNotExist:
        routing = None
    can_correct = request.user.is_superuser or any(
        m.role in CORRECT_ROLES
        and m.unit.kind == UnitKind.CENTER
        and case.scope_path.startswith(m.unit.region_path)
        for m in active_memberships(request.user, membership.id if membership else None)
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
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
    return render(request, "workbench/case_detail.html", _detail_context(request, case))


@staff_required
@require_POST
def case_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
    membership = membership_of(request)
    if action not in Action.values:
        return _not_found(request)
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
    ctx = _detail_context(request, case, actions=forms, open_action=action, action_error=error)
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def reveal(request: HttpRequest, code: str, party_id: int) -> HttpResponse:
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
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
        )
    except DomainError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(f'<p class="error" role="alert">{exc.message}</p>', status=403)
        messages.error(request, str(exc.message))
        return redirect("workbench:case", code=case.code)
    if request.headers.get("HX-Request"):
        return render(request, "workbench/partials/party_revealed.html", {"shown": shown})
    ctx = _detail_context(request, case, revealed={party.pk: shown})
    return render(request, "workbench/case_detail.html", ctx)


@staff_required
@require_POST
def supervise(request: HttpRequest, code: str) -> HttpResponse:
    from fengqiao.supervision.services import issue_order

    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
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
    ctx = _detail_context(
        request, case, supervise_form=form, open_action="supervise", action_error=error
    )
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def supervision_reply(request: HttpRequest, code: str, order_id: int) -> HttpResponse:
    from fengqiao.supervision.services import reply_to_order

    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
    order = case.supervision_orders.filter(pk=order_id).first()
    form = ReplyForm(request.POST, prefix="rp")
    if order is None:
        return _not_found(request)
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


# --- clocks, extensions and category correction (services check the permissions) ----------


def _case_post(request: HttpRequest, code: str, anchor: str, call, done: str) -> HttpResponse:
    """Run one service call for a case in scope; its error becomes the page's message."""
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
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
    from fengqiao.deadlines.services import pause_clock

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
    from fengqiao.deadlines.services import resume_clock

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
    from fengqiao.deadlines.services import request_extension

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
    from fengqiao.deadlines.services import decide_extension

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
    from fengqiao.routing.services import correct_category

    def call(case: Case) -> None:
        raw = request.POST.get("category", "")
        category = Category.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if category is None:
            raise services.ValidationFailed(_("请选择分类。"), field="category")
        correct_category(case=case, category=category, actor=request.user)

    return _case_post(request, code, "#routing", call, _("分类已更正。"))


# --- supervision list (督办) -------------------------------------------------------------------

SUPERVISION_ROLES = frozenset(
    {Role.SUPERVISOR, Role.DIRECTOR, Role.DISPATCHER, Role.LEADER, Role.HANDLER}
)
SUPERVISION_PAGE_SIZE = 50


def can_see_supervision(user: User, membership: Membership | None) -> bool:
    if user.is_superuser:
        return True
    return membership is not None and membership.role in SUPERVISION_ROLES


def _order_filters(request: HttpRequest) -> Any:
    import datetime as dt

    from fengqiao.supervision.selectors import OrderFilters

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
    from fengqiao.supervision import selectors as sv
    from fengqiao.supervision.choices import OrderStatus

    membership = membership_of(request)
    if not can_see_supervision(request.user, membership):
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
    number = max(_page_number(request), 1)
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


@staff_required
@require_POST
def co_report(request: HttpRequest, code: str) -> HttpResponse:
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
    membership = membership_of(request)
    form = CoReportForm(request.POST, prefix="co")
    error = ""
    if form.is_valid():
        units = [
            m.unit
            for m in active_memberships(request.user, membership.id if membership else None)
            if m.role == Role.HANDLER
        ]
        unit_ids = set(
            case.assignments.filter(
                role=AssignmentRole.CO,
                status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED],
            ).values_list("unit_id", flat=True)
        )
        unit = next((u for u in units if u.pk in unit_ids), None)
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
    ctx = _detail_context(request, case, co_form=form, open_action="co_report", action_error=error)
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def visit(request: HttpRequest, code: str) -> HttpResponse:
    from fengqiao.followup.services import record_visit

    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
    task = integrations.visit_task(case)
    form = VisitForm(request.POST, prefix="vs", methods=integrations.visit_methods())
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
    ctx = _detail_context(request, case, visit_form=form, open_action="visit", action_error=error)
    return render(request, "workbench/case_detail.html", ctx, status=400)


@staff_required
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    case = _case_or_none(request, code)
    if case is None:
        return _not_found(request)
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


# --- management pages (directors, admins) -------------------------------------------------


def _manage_roots(request: HttpRequest) -> list[str]:
    """The region paths this user manages: the centers where they are director or admin."""
    if request.user.is_superuser:
        return [""]
    return sorted(
        {
            m.unit.region_path
            for m in active_memberships(request.user)
            if m.role in MANAGE_ROLES and m.unit.kind == UnitKind.CENTER
        }
    )


def _under(paths: list[str], field: str = "region_path"):
    from django.db.models import Q

    from fengqiao.regions.models import PATH_END

    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__gte": p, f"{field}__lt": p + PATH_END}) if p else Q()
    return q


@manager_required
def manage_units(request: HttpRequest) -> HttpResponse:
    units = list(
        Unit.objects.filter(_under(_manage_roots(request)))
        .select_related("region", "center")
        .order_by("region_path", "kind", "name")[:500]
    )
    return render(request, "workbench/manage_units.html", page_context(request, units=units))


@manager_required
def manage_staff(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(_under(_manage_roots(request), "unit__region_path"))
        .select_related("user", "unit")
        .order_by("unit__region_path", "unit__name", "role", "user__username")[:1000]
    )
    return render(
        request, "workbench/manage_staff.html", page_context(request, memberships=memberships)
    )


@manager_required
def manage_categories(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.select_related("parent").order_by("path"))
    for c in categories:
        c.depth = c.path.count("/") - 1
    return render(
        request, "workbench/manage_categories.html", page_context(request, categories=categories)
    )


@manager_required
def manage_regions(request: HttpRequest) -> HttpResponse:
    roots = _manage_roots(request)
    code = request.GET.get("code", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is not None and roots != [""] and not any(region.path.startswith(p) for p in roots):
        region = None
    if region is None:
        tops = (
            list(Region.objects.filter(level=1).order_by("code")[:100])
            if roots == [""]
            else list(Region.objects.filter(path__in=roots))
        )
        return render(
            request,
            "workbench/manage_regions.html",
            page_context(request, region=None, children=tops, ancestors=[]),
        )
    children = list(region.children.order_by("code")[:1000])
    ancestors = [
        a for a in region.ancestors() if roots == [""] or any(a.path.startswith(p) for p in roots)
    ]
    units = list(region.units.order_by("kind", "name"))
    return render(
        request,
        "workbench/manage_regions.html",
        page_context(request, region=region, children=children, ancestors=ancestors, units=units),
    )


# --- inbox and API tokens -------------------------------------------------------------------


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    from fengqiao.notifications import selectors as note_selectors
    from fengqiao.notifications import services as note_services

    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        note_services.mark_read(request.user, ids or None)
        messages.success(request, _("已标记为已读。"))
        return redirect("workbench:inbox")
    unread_only = request.GET.get("unread") == "1"
    rows = list(note_selectors.inbox(request.user, unread_only=unread_only)[:100])
    return render(
        request,
        "workbench/inbox.html",
        page_context(request, rows=rows, unread_only=unread_only),
    )


@staff_required
def tokens(request: HttpRequest) -> HttpResponse:
    from fengqiao.api import services as api_services
    from fengqiao.api.models import ApiToken

    issued = None
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                api_services.revoke_token(user=request.user, token_id=int(request.POST["revoke"]))
                messages.success(request, _("令牌已吊销。"))
                return redirect("workbench:tokens")
            issued = api_services.create_token(user=request.user, name=request.POST.get("name", ""))
        except (DomainError, ValueError) as exc:
            error = str(getattr(exc, "message", exc))
    rows = list(ApiToken.objects.filter(user=request.user).order_by("-created_at")[:100])
    return render(
        request,
        "workbench/tokens.html",
        page_context(request, rows=rows, issued=issued, error=error),
        status=400 if error else 200,
    )
