"""Staff pages of the centers' own work: overview, compliance dashboard, standardization
record, staffing and residency, the duty roster (and its public board), meetings with
agenda and tasks, 吹哨报到, departments' reports, emergency plans and assessment.
Thin: parse, call a service or a selector, map a DomainError to a message, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fengqiao.cases.choices import RiskLevel
from fengqiao.cases.selectors import visible_cases
from fengqiao.centers import assessment, selectors, services
from fengqiao.centers.choices import (
    DutyPost,
    InspectionResult,
    MeetingKind,
    NoticeKind,
    PlanStatus,
    StaffKind,
    TaskStatus,
)
from fengqiao.centers.models import (
    AgendaItem,
    AssessmentNotice,
    ChecklistItem,
    DutyShift,
    DutySwap,
    FactorReport,
    Finding,
    Meeting,
    MeetingTask,
    PlanActivation,
    PlanTask,
    PlanTemplate,
    Summons,
    SummonsCall,
)
from fengqiao.core.errors import DomainError, NotFound, ValidationFailed
from fengqiao.org.choices import Residency, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import SESSION_KEY, active_memberships
from fengqiao.regions.models import Level, Region


def _page(view: Callable) -> Callable:
    """Login required; NotFound → a 404 page."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return render(request, "centers/error.html", {"message": exc.message}, status=404)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _run(request: HttpRequest, fn: Callable[[], Any], ok: str) -> Any | None:
    try:
        result = fn()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return None
    messages.success(request, ok)
    return result


def _center(request: HttpRequest) -> Unit:
    """The center the page is about: ?center=<id> within scope, else the user's own."""
    raw = request.GET.get("center") or request.POST.get("center")
    if raw and raw.isdigit():
        return selectors.get_center(request.user, int(raw))
    center = selectors.home_center(request.user, request.session.get(SESSION_KEY))
    if center is None:
        raise NotFound(_("您不在任何综治中心任职。"))
    return center


def _date(value: str | None, default: dt.date | None = None) -> dt.date:
    parsed = parse_date(value or "") if value else None
    if parsed is None:
        if default is None:
            raise ValidationFailed(_("日期格式不正确。"))
        return default
    return parsed


def _unit(pk: str | None, *, required: bool = True) -> Unit | None:
    unit = Unit.objects.filter(pk=pk, is_active=True).first() if pk and pk.isdigit() else None
    if unit is None and required:
        raise ValidationFailed(_("请选择单位。"))
    return unit


def _user(pk: str | None) -> User:
    user = User.objects.filter(pk=pk, is_active=True).first() if pk and pk.isdigit() else None
    if user is None:
        raise ValidationFailed(_("请选择人员。"))
    return user


def _back(request: HttpRequest, name: str, *args: Any, center: Unit | None = None):
    response = redirect(name, *args)
    if center is not None:
        response["Location"] += f"?center={center.pk}"
    return response


# --- overview ------------------------------------------------------------------------------


@_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("center") and selectors.home_center(request.user) is None:
        return redirect("centers:reports")  # department staff: their reports and tasks
    center = _center(request)
    today = timezone.localdate()
    _items, comp = selectors.compliance([center])
    staffing = selectors.staffing([center], today)[0]
    return render(
        request,
        "centers/home.html",
        {
            "center": center,
            "compliance": comp[0],
            "staffing": staffing,
            "board": selectors.day_board(center, today),
            "meetings": Meeting.objects.filter(center=center, starts_at__date__gte=today).order_by(
                "starts_at"
            )[:5],
            "tasks": MeetingTask.objects.filter(
                meeting__center=center, status=TaskStatus.OPEN
            ).select_related("owner", "meeting")[:20],
            "today": today,
            "centers": selectors.visible_centers(request.user).order_by("region__path")[:300],
        },
    )


# --- standardization -----------------------------------------------------------------------


@_page
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """The compliance dashboard: the centers under a region, which items each meets."""
    scope = list(selectors.visible_centers(request.user).order_by("region__path"))
    if not scope:
        raise NotFound(_("您不在任何综治中心任职。"))
    top = scope[0].region
    code = request.GET.get("region", "")
    region = Region.objects.filter(code=code).first() if code else top
    if region is None or not any(region.path.startswith(c.region.path) for c in scope[:1]):
        region = top
    level = request.GET.get("level", "")
    centers = [c for c in scope if c.region_path.startswith(region.path)]
    rollup_items, all_rows = selectors.compliance(centers)
    by_level = selectors.compliance_by_level(all_rows, rollup_items)
    rows = [r for r in all_rows if not level or str(r.center.region.level) == level]
    children = [
        (child, [r for r in all_rows if r.center.region_path.startswith(child.path)])
        for child in region.children.order_by("code")
    ]
    children = [(c, rs) for c, rs in children if rs]
    return render(
        request,
        "centers/compliance.html",
        {
            "region": region,
            "trail": region.ancestors(include_self=True).filter(path__startswith=top.path),
            "items": rollup_items,
            "rows": rows[:400],
            "total_rows": len(rows),
            "by_level": by_level,
            "children": [
                (c, len(rs), round(sum(r.share for r in rs) / len(rs), 1)) for c, rs in children
            ],
            "levels": Level.choices,
            "level": level,
        },
    )


@_page
def standard(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "check":
            item = ChecklistItem.objects.filter(pk=request.POST.get("item") or 0).first()
            if item is not None:
                _run(
                    request,
                    lambda: services.set_check(
                        center=center,
                        item=item,
                        met=request.POST.get("met") == "1",
                        evidence=request.POST.get("evidence", ""),
                        actor=user,
                        file=request.FILES.get("file"),
                    ),
                    _("已保存。"),
                )
        elif action == "inspect":
            _inspect(request, center)
        elif action == "rectify":
            finding = Finding.objects.filter(
                pk=request.POST.get("finding") or 0, inspection__center=center
            ).first()
            if finding is not None:
                _run(
                    request,
                    lambda: services.rectify(
                        finding=finding, text=request.POST.get("text", ""), actor=user
                    ),
                    _("已记录整改情况。"),
                )
        return _back(request, "centers:standard", center=center)
    return render(
        request,
        "centers/standard.html",
        {
            "center": center,
            "checklist": selectors.checklist_for(center),
            "compliance": selectors.compliance([center])[1][0],
            "inspections": center.inspections.prefetch_related("findings__item")[:20],
            "can_manage": selectors.may_manage(user, center),
            "can_inspect": selectors.may_inspect(user, center),
            "results": InspectionResult.choices,
            "items": [i for i, _c in selectors.checklist_for(center)],
            "today": timezone.localdate(),
        },
    )


def _inspect(request: HttpRequest, center: Unit) -> None:
    p = request.POST

    def go():
        findings = []
        for n in range(1, 4):
            text = p.get(f"finding{n}", "").strip()
            if text:
                item = ChecklistItem.objects.filter(pk=p.get(f"item{n}") or 0).first()
                deadline = _date(p.get(f"deadline{n}"))
                findings.append(services.FindingIn(text, deadline, item))
        return services.record_inspection(
            center=center,
            inspected_on=_date(p.get("inspected_on")),
            inspector=p.get("inspector", ""),
            result=p.get("result", ""),
            note=p.get("note", ""),
            findings=findings,
            actor=request.user,
        )

    _run(request, go, _("已记录检查验收。"))


# --- staffing and residency ----------------------------------------------------------------


@_page
def staffing(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    user = request.user
    today = timezone.localdate()
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "add":
            _run(
                request,
                lambda: services.add_staff(
                    center=center,
                    name=p.get("name", ""),
                    kind=p.get("kind", ""),
                    post=p.get("post", ""),
                    home_unit=_unit(p.get("home_unit"), required=False),
                    actor=user,
                ),
                _("已添加。"),
            )
        elif p.get("action") == "leave":
            staff = selectors.staff_of(center, today).filter(pk=p.get("staff") or 0).first()
            if staff is not None:
                _run(request, lambda: services.end_staff(staff=staff, actor=user), _("已离岗。"))
        elif p.get("action") == "residency":
            unit = selectors.departments_of(center).filter(pk=p.get("unit") or 0).first()
            if unit is not None:
                _run(
                    request,
                    lambda: services.set_residency(
                        center=center,
                        unit=unit,
                        residency=p.get("residency", ""),
                        weekdays=[int(d) for d in p.getlist("weekday") if d.isdigit()],
                        actor=user,
                    ),
                    _("已保存。"),
                )
        return _back(request, "centers:staffing", center=center)
    scope = list(selectors.visible_centers(user))
    rows = selectors.staffing(scope, today)
    week = selectors.rotation_week(center)
    departments = list(selectors.departments_of(center))
    for d in departments:
        d.weekday_names = [services.WEEKDAYS[i] for i, units in enumerate(week) if d in units]
    return render(
        request,
        "centers/staffing.html",
        {
            "center": center,
            "mine": next(r for r in rows if r.center.pk == center.pk)
            if any(r.center.pk == center.pk for r in rows)
            else selectors.staffing([center], today)[0],
            "staff": selectors.staff_of(center, today),
            "departments": departments,
            "week": list(zip(services.WEEKDAYS, week, strict=True)),
            "by_level": selectors.residency_by_level(rows),
            "below": [r for r in rows if not r.meets_norm][:50],
            "kinds": StaffKind.choices,
            "residencies": Residency.choices,
            "weekdays": list(enumerate(services.WEEKDAYS)),
            "home_units": Unit.objects.filter(
                region_path__startswith=center.region_path[:14], is_active=True
            )
            .exclude(kind=UnitKind.CENTER)
            .order_by("name")[:200],
            "can_manage": selectors.may_manage(user, center),
        },
    )


# --- duty ----------------------------------------------------------------------------------


@_page
def duty(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    user = request.user
    today = timezone.localdate()
    if request.method == "POST":
        _duty_post(request, center)
        return _back(request, "centers:duty", center=center)
    start = _date(request.GET.get("week"), today - dt.timedelta(days=today.weekday()))
    return render(
        request,
        "centers/duty.html",
        {
            "center": center,
            "board": selectors.day_board(center, today),
            "roster": selectors.roster(center, start),
            "posts": DutyPost.choices,
            "start": start,
            "prev": start - dt.timedelta(days=7),
            "next": start + dt.timedelta(days=7),
            "people": selectors.center_staff_users(center),
            "swaps": DutySwap.objects.filter(shift__center=center).select_related(
                "shift", "from_user", "to_user"
            )[:20],
            "my_shifts": DutyShift.objects.filter(center=center, user=user, day__gte=today)[:10],
            "can_manage": selectors.may_manage(user, center),
            "can_approve": selectors.may_manage(user, center, selectors.APPROVE_ROLES),
            "today": today,
        },
    )


def _duty_post(request: HttpRequest, center: Unit) -> None:
    p, user = request.POST, request.user
    action = p.get("action")
    if action == "assign":
        _run(
            request,
            lambda: services.assign_shift(
                center=center,
                day=_date(p.get("day")),
                post=p.get("post", ""),
                user=_user(p.get("user")),
                phone=p.get("phone", ""),
                actor=user,
            ),
            _("已排班。"),
        )
    elif action == "swap":
        shift = DutyShift.objects.filter(center=center, pk=p.get("shift") or 0).first()
        if shift is not None:
            _run(
                request,
                lambda: services.request_swap(
                    shift=shift,
                    to_user=_user(p.get("to_user")),
                    reason=p.get("reason", ""),
                    actor=user,
                ),
                _("换班申请已提交，等待审批。"),
            )
    elif action in ("approve", "reject"):
        swap = DutySwap.objects.filter(shift__center=center, pk=p.get("swap") or 0).first()
        if swap is not None:
            _run(
                request,
                lambda: services.decide_swap(swap=swap, approve=action == "approve", actor=user),
                _("已审批。"),
            )


@require_GET
def board(request: HttpRequest, center_id: int) -> HttpResponse:
    """The public board of who is on duty and in the center today (no login)."""
    center = Unit.objects.filter(pk=center_id, kind=UnitKind.CENTER, is_active=True).first()
    if center is None:
        return render(
            request, "centers/error.html", {"message": _("没有找到这个综治中心。")}, status=404
        )
    return render(
        request,
        "centers/board.html",
        {"center": center, "board": selectors.day_board(center, timezone.localdate())},
    )


# --- meetings ------------------------------------------------------------------------------


@_page
def meetings(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    user = request.user
    today = timezone.localdate()
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "schedule":
            meeting = _run(
                request, lambda: _schedule(request, center), _("会议已安排，议题已生成。")
            )
            if meeting is not None:
                return redirect("centers:meeting", meeting.pk)
        elif p.get("action") == "summon":
            _run(request, lambda: _summon(request, center), _("已吹哨，部门已收到通知。"))
        elif p.get("action") == "checkin":
            call = SummonsCall.objects.filter(summons__center=center, pk=p.get("call") or 0).first()
            if call is not None:
                _run(
                    request,
                    lambda: services.check_in(call=call, name=p.get("name", ""), actor=user),
                    _("已报到。"),
                )
        return _back(request, "centers:meetings", center=center)
    first = today.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    return render(
        request,
        "centers/meetings.html",
        {
            "center": center,
            "meetings": Meeting.objects.filter(center=center)[:40],
            "kinds": MeetingKind.choices,
            "period_start": last_month_end.replace(day=1),
            "period_end": last_month_end,
            "departments": selectors.departments_of(center),
            "summonses": Summons.objects.filter(center=center)
            .prefetch_related("calls__unit")
            .select_related("case")[:20],
            "overdue": MeetingTask.objects.filter(
                meeting__center=center, status=TaskStatus.OPEN, due_date__lt=today
            ).select_related("owner", "meeting"),
            "can_manage": selectors.may_manage(user, center),
            "today": today,
        },
    )


def _schedule(request: HttpRequest, center: Unit) -> Meeting:
    p = request.POST
    starts = parse_datetime(p.get("starts_at", ""))
    if starts is None:
        raise ValidationFailed(_("请填写召开时间。"))
    if timezone.is_naive(starts):
        starts = timezone.make_aware(starts)
    return services.schedule_meeting(
        center=center,
        kind=p.get("kind", ""),
        title=p.get("title", ""),
        starts_at=starts,
        period_start=_date(p.get("period_start")),
        period_end=_date(p.get("period_end")),
        place=p.get("place", ""),
        actor=request.user,
    )


def _summon(request: HttpRequest, center: Unit) -> Summons:
    p = request.POST
    units = list(selectors.departments_of(center).filter(pk__in=p.getlist("unit")))
    case = None
    if p.get("case"):
        case = visible_cases(request.user).filter(code=p.get("case", "").strip()[:20]).first()
        if case is None:
            raise ValidationFailed(_("没有找到这个案件。"))
    return services.summon(
        center=center,
        units=units,
        site=p.get("site", ""),
        reason=p.get("reason", ""),
        case=case,
        actor=request.user,
    )


@_page
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m = selectors.visible_meetings(request.user).filter(pk=meeting_id).select_related("center")
    m = m.first()
    if m is None:
        raise NotFound(_("没有找到这次会议。"))
    user = request.user
    if request.method == "POST":
        _meeting_post(request, m)
        return redirect("centers:meeting", m.pk)
    return render(
        request,
        "centers/meeting.html",
        {
            "meeting": m,
            "center": m.center,
            "participants": m.participants.select_related("unit"),
            "agenda": m.agenda.select_related("case", "case__lead_unit"),
            "tasks": m.tasks.select_related("owner", "agenda_item__case"),
            "owners": selectors.departments_of(m.center),
            "can_manage": selectors.may_manage(user, m.center),
            "today": timezone.localdate(),
        },
    )


def _meeting_post(request: HttpRequest, m: Meeting) -> None:
    p, user = request.POST, request.user
    action = p.get("action")
    if action == "attendance":
        attended = {
            int(pk): p.get(f"attendee-{pk}", "") for pk in p.getlist("attended") if pk.isdigit()
        }
        _run(
            request,
            lambda: services.record_attendance(meeting=m, attended=attended, actor=user),
            _("已记录出席情况。"),
        )
    elif action == "refresh":
        _run(request, lambda: services.refresh_agenda(meeting=m, actor=user), _("议题已更新。"))
    elif action == "minutes":
        _run(
            request,
            lambda: services.hold_meeting(meeting=m, minutes=p.get("minutes", ""), actor=user),
            _("会议纪要已保存。"),
        )
    elif action == "task":
        item = AgendaItem.objects.filter(meeting=m, pk=p.get("agenda_item") or 0).first()
        days = p.get("workdays", "")
        _run(
            request,
            lambda: services.add_task(
                meeting=m,
                text=p.get("text", ""),
                owner=_unit(p.get("owner")),
                due_date=parse_date(p.get("due_date") or "") if p.get("due_date") else None,
                workdays=int(days) if days.isdigit() else None,
                agenda_item=item,
                actor=user,
            ),
            _("已交办。"),
        )
    elif action == "done":
        task = MeetingTask.objects.filter(meeting=m, pk=p.get("task") or 0).first()
        if task is not None:
            _run(
                request,
                lambda: services.complete_task(task=task, result=p.get("result", ""), actor=user),
                _("已反馈落实情况。"),
            )


# --- departments' reports ------------------------------------------------------------------


@_page
def reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    my_units = [m.unit for m in active_memberships(user) if m.unit.kind != UnitKind.CENTER]
    center = selectors.home_center(user, request.session.get(SESSION_KEY))
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "round" and center is not None:
            _run(
                request,
                lambda: services.open_report_round(
                    center=center,
                    period=_date(p.get("period")),
                    due_date=_date(p.get("due")),
                    actor=user,
                ),
                _("已发起报送。"),
            )
        elif p.get("action") == "submit":
            report = FactorReport.objects.filter(
                pk=p.get("report") or 0, unit__in=[u.pk for u in my_units]
            ).first()
            if report is not None:
                _run(
                    request,
                    lambda: services.submit_report(
                        report=report, content=p.get("content", ""), actor=user
                    ),
                    _("已报送。"),
                )
        return redirect("centers:reports")
    return render(
        request,
        "centers/reports.html",
        {
            "center": center,
            "my_tasks": MeetingTask.objects.filter(
                owner__in=[u.pk for u in my_units], status=TaskStatus.OPEN
            ).select_related("meeting"),
            "mine": FactorReport.objects.filter(unit__in=[u.pk for u in my_units]).select_related(
                "center"
            )[:24],
            "received": FactorReport.objects.filter(center=center).select_related("unit")[:100]
            if center
            else [],
            "can_manage": center is not None and selectors.may_manage(user, center),
            "period": today.replace(day=1),
            "due": today.replace(day=1) + dt.timedelta(days=4),
        },
    )


# --- emergency plans -----------------------------------------------------------------------


@_page
def plans(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    user = request.user
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "open":
            plan = _run(request, lambda: _open_plan(request), _("应急预案已启动。"))
            if plan is not None:
                return redirect("centers:plan", plan.pk)
        return _back(request, "centers:plans", center=center)
    return render(
        request,
        "centers/plans.html",
        {
            "center": center,
            "templates": PlanTemplate.objects.filter(is_active=True),
            "plans": PlanActivation.objects.filter(center=center).select_related(
                "template", "case"
            )[:30],
            "red_cases": visible_cases(user)
            .filter(center=center, risk_level=RiskLevel.RED)
            .order_by("-registered_at")[:20],
            "can_open": selectors.may_manage(user, center, selectors.APPROVE_ROLES),
        },
    )


def _open_plan(request: HttpRequest) -> PlanActivation:
    p = request.POST
    case = visible_cases(request.user).filter(code=p.get("case", "").strip()[:20]).first()
    if case is None:
        raise ValidationFailed(_("没有找到这个案件。"))
    template = PlanTemplate.objects.filter(pk=p.get("template") or 0, is_active=True).first()
    if template is None:
        raise ValidationFailed(_("请选择预案模板。"))
    roster = {post: p.get(f"roster-{i}", "") for i, post in enumerate(template.roster)}
    return services.open_plan(case=case, template=template, roster=roster, actor=request.user)


@_page
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    scope = selectors.visible_centers(request.user).values("pk")
    obj = (
        PlanActivation.objects.filter(pk=plan_id, center__in=scope)
        .select_related("template", "case", "center")
        .first()
    )
    if obj is None:
        raise NotFound(_("没有找到这次应急处置。"))
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "task":
            task = PlanTask.objects.filter(activation=obj, pk=p.get("task") or 0).first()
            if task is not None:
                _run(
                    request,
                    lambda: services.finish_plan_task(task=task, actor=request.user),
                    _("已完成。"),
                )
        elif p.get("action") == "close":
            _run(
                request,
                lambda: services.close_plan(
                    plan=obj, summary=p.get("summary", ""), actor=request.user
                ),
                _("应急处置已结束。"),
            )
        return redirect("centers:plan", obj.pk)
    return render(
        request,
        "centers/plan.html",
        {
            "plan": obj,
            "center": obj.center,
            "items": obj.items.all(),
            "now": timezone.now(),
            "active": obj.status == PlanStatus.ACTIVE,
            "can_manage": selectors.may_manage(request.user, obj.center, selectors.APPROVE_ROLES),
        },
    )


# --- assessment ----------------------------------------------------------------------------


def _period(request: HttpRequest) -> dt.date:
    raw = request.GET.get("month", "")
    parsed = parse_date(f"{raw}-01") if raw else None
    if parsed is None:
        return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return parsed


@_page
def assessment_page(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    user = request.user
    if request.method == "POST":
        p = request.POST
        _run(
            request,
            lambda: services.issue_notice(
                kind=p.get("kind", ""),
                unit=_unit(p.get("unit")),
                issued_by=center,
                period=_date(f"{p.get('month', '')}-01"),
                text=p.get("text", ""),
                cases=[c for c in p.get("cases", "").replace("，", ",").split(",") if c.strip()],
                talked_with=p.get("talked_with", ""),
                actor=user,
            ),
            _("已记录。"),
        )
        return _back(request, "centers:assessment", center=center)
    period = _period(request)
    rows = assessment.ranking(center, period)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            assessment.export_xlsx(center, period, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="assessment-{period:%Y-%m}.xlsx"'
        return response
    return render(
        request,
        "centers/assessment.html",
        {
            "center": center,
            "period": period,
            "rows": rows,
            "weights": assessment.weights(),
            "indicators": assessment.INDICATORS,
            "names": {w.code: w.display_name for w in assessment.AssessmentWeight.objects.all()},
            "notices": AssessmentNotice.objects.filter(issued_by=center).select_related("unit")[
                :30
            ],
            "kinds": NoticeKind.choices,
            "units": [r.unit for r in rows],
            "can_manage": selectors.may_manage(user, center),
        },
    )
