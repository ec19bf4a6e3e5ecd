"""Writes of the centers' records. Each is one transaction, checks the actor's right to
manage the center, and raises a DomainError (translated message) on bad input.

The periodic sweep (:func:`sweep`, a job of core's scheduler) supervises overdue meeting
tasks and reminds departments of reports coming due; both are written once per row
(``supervised_at``, ``reminded_at``), so a sweep run twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fengqiao.cases.choices import RiskLevel
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.centers import selectors
from fengqiao.centers.choices import (
    ALERT_POSTS,
    DutyPost,
    InspectionResult,
    MeetingKind,
    MeetingStatus,
    NoticeKind,
    PlanStatus,
    ReportStatus,
    StaffKind,
    SwapStatus,
    TaskStatus,
)
from fengqiao.centers.models import (
    AgendaItem,
    AssessmentNotice,
    CenterCheck,
    CenterStaff,
    ChecklistItem,
    DutyAlert,
    DutyShift,
    DutySwap,
    FactorReport,
    Finding,
    Inspection,
    Meeting,
    MeetingTask,
    Participant,
    PlanActivation,
    PlanTask,
    PlanTemplate,
    RotationSlot,
    Summons,
    SummonsCall,
)
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.deadlines.calendar import load_calendar
from fengqiao.notifications.services import notify
from fengqiao.org.choices import Residency, UnitKind
from fengqiao.org.models import Unit, User

MAX_EVIDENCE = 10 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".doc", ".docx")


def _require(actor: User, center: Unit, roles: frozenset[str] = selectors.MANAGE_ROLES) -> None:
    if not selectors.may_manage(actor, center, roles):
        raise PermissionDenied(_("您无权管理这个综治中心的记录。"))


def _text(value: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("请填写%(field)s。") % {"field": label}, field=label)
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(field)s不能超过%(n)s个字。") % {"field": label, "n": max_length}, field=label
        )
    return value


# --- standardization -----------------------------------------------------------------------


@transaction.atomic
def set_check(
    *,
    center: Unit,
    item: ChecklistItem,
    met: bool,
    evidence: str,
    actor: User,
    file: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> CenterCheck:
    """Record whether the center meets a checklist item; "met" needs evidence."""
    _require(actor, center)
    evidence = _text(evidence, _("佐证说明"), 2000, required=False)
    if file is not None:
        if file.size > MAX_EVIDENCE:
            raise ValidationFailed(_("佐证材料不能超过10MB。"))
        if not file.name.lower().endswith(EVIDENCE_TYPES):
            raise ValidationFailed(_("佐证材料只能是图片、PDF或Word文件。"))
    check, _created = CenterCheck.objects.select_for_update().get_or_create(
        center=center, item=item, defaults={"updated_at": now or timezone.now()}
    )
    if met and not (evidence or file or check.evidence_file):
        raise ValidationFailed(_("标记为达标需要佐证说明或材料。"))
    check.met, check.evidence, check.updated_by = met, evidence, actor
    check.updated_at = now or timezone.now()
    if file is not None:
        check.evidence_file = file
    check.save()
    return check


@dataclass(frozen=True)
class FindingIn:
    text: str
    deadline: dt.date
    item: ChecklistItem | None = None


@transaction.atomic
def record_inspection(
    *,
    center: Unit,
    inspected_on: dt.date,
    inspector: str,
    result: str,
    note: str,
    findings: Iterable[FindingIn],
    actor: User,
) -> Inspection:
    """An inspection of ``center`` by a center above it, with findings to rectify."""
    if not selectors.may_inspect(actor, center):
        raise PermissionDenied(_("检查验收由上级综治中心记录。"))
    if result not in InspectionResult.values:
        raise ValidationFailed(_("请选择检查结论。"))
    findings = list(findings)
    if result == InspectionResult.RECTIFY and not findings:
        raise ValidationFailed(_("限期整改需要列出问题和整改期限。"))
    for f in findings:
        if f.deadline < inspected_on:
            raise ValidationFailed(_("整改期限不能早于检查日期。"))
    inspection = Inspection.objects.create(
        center=center,
        inspected_on=inspected_on,
        inspector=_text(inspector, _("检查组"), 120),
        result=result,
        note=_text(note, _("说明"), 2000, required=False),
        created_by=actor,
    )
    for f in findings:
        Finding.objects.create(
            inspection=inspection,
            item=f.item,
            text=_text(f.text, _("问题"), 300),
            deadline=f.deadline,
        )
    return inspection


@transaction.atomic
def rectify(*, finding: Finding, text: str, actor: User, now: dt.datetime | None = None) -> Finding:
    finding = (
        Finding.objects.select_for_update().select_related("inspection__center").get(pk=finding.pk)
    )
    _require(actor, finding.inspection.center)
    if finding.rectified_at:
        raise Conflict(_("这个问题已经整改完成。"))
    finding.rectification = _text(text, _("整改情况"), 2000)
    finding.rectified_at = now or timezone.now()
    finding.save()
    return finding


# --- staffing and residency ----------------------------------------------------------------


@transaction.atomic
def add_staff(
    *,
    center: Unit,
    name: str,
    kind: str,
    actor: User,
    post: str = "",
    home_unit: Unit | None = None,
    user: User | None = None,
    started_on: dt.date | None = None,
) -> CenterStaff:
    _require(actor, center)
    if kind not in StaffKind.values:
        raise ValidationFailed(_("请选择人员类别。"))
    if kind == StaffKind.SECONDED and home_unit is None:
        raise ValidationFailed(_("派驻人员需要填写派出单位。"))
    return CenterStaff.objects.create(
        center=center,
        name=_text(name, _("姓名"), 64),
        kind=kind,
        post=_text(post, _("岗位"), 64, required=False),
        home_unit=home_unit if kind == StaffKind.SECONDED else None,
        user=user,
        started_on=started_on or timezone.localdate(),
    )


@transaction.atomic
def end_staff(*, staff: CenterStaff, actor: User, on: dt.date | None = None) -> CenterStaff:
    _require(actor, staff.center)
    staff.left_on = on or timezone.localdate()
    staff.save(update_fields=["left_on"])
    return staff


@transaction.atomic
def set_residency(
    *, center: Unit, unit: Unit, residency: str, weekdays: Iterable[int], actor: User
) -> Unit:
    """A department's residency at the center; a rotating one names its weekdays."""
    _require(actor, center)
    if unit.center_id != center.pk:
        raise ValidationFailed(_("这个部门不对接本中心。"))
    if residency not in Residency.values:
        raise ValidationFailed(_("请选择入驻方式。"))
    days = sorted({int(d) for d in weekdays if 0 <= int(d) <= 6})
    if residency == Residency.ROTATING and not days:
        raise ValidationFailed(_("轮驻部门需要选择入驻的星期。"))
    RotationSlot.objects.filter(center=center, unit=unit).delete()
    if residency == Residency.ROTATING:
        RotationSlot.objects.bulk_create(
            [RotationSlot(center=center, unit=unit, weekday=d) for d in days]
        )
    names = "、".join(str(WEEKDAYS[d]) for d in days)
    Unit.objects.filter(pk=unit.pk).update(
        residency=residency, rotation_schedule=names if residency == Residency.ROTATING else ""
    )
    unit.refresh_from_db()
    return unit


# Stored in Chinese (the unit's rotation_schedule); pages translate them.
WEEKDAYS = [
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
]


# --- duty ----------------------------------------------------------------------------------


@transaction.atomic
def assign_shift(
    *, center: Unit, day: dt.date, post: str, user: User, actor: User, phone: str = ""
) -> DutyShift:
    """Put ``user`` on duty at ``post`` on ``day`` (replacing whoever was there)."""
    _require(actor, center)
    if post not in DutyPost.values:
        raise ValidationFailed(_("请选择值班岗位。"))
    if not selectors.center_staff_users(center).filter(pk=user.pk).exists():
        raise ValidationFailed(_("值班人必须是本中心的工作人员。"))
    shift, _created = DutyShift.objects.update_or_create(
        center=center,
        day=day,
        post=post,
        defaults={"user": user, "phone": _text(phone, _("值班电话"), 32, required=False)},
    )
    return shift


@transaction.atomic
def request_swap(
    *, shift: DutyShift, to_user: User, reason: str, actor: User, now: dt.datetime | None = None
) -> DutySwap:
    if actor.pk != shift.user_id and not selectors.may_manage(actor, shift.center):
        raise PermissionDenied(_("只能为自己的值班申请换班。"))
    if to_user.pk == shift.user_id:
        raise ValidationFailed(_("替班人不能是原值班人。"))
    if not selectors.center_staff_users(shift.center).filter(pk=to_user.pk).exists():
        raise ValidationFailed(_("替班人必须是本中心的工作人员。"))
    if shift.day < timezone.localdate():
        raise ValidationFailed(_("已经过去的值班不能换班。"))
    if DutySwap.objects.filter(shift=shift, status=SwapStatus.PENDING).exists():
        raise Conflict(_("这个值班已有待审批的换班申请。"))
    swap = DutySwap.objects.create(
        shift=shift,
        from_user=shift.user,
        to_user=to_user,
        reason=_text(reason, _("理由"), 200),
        requested_at=now or timezone.now(),
    )
    approvers = [
        u
        for u in selectors.center_staff_users(shift.center)
        if selectors.may_manage(u, shift.center, selectors.APPROVE_ROLES) and u.pk != actor.pk
    ]
    notify(
        recipients=approvers,
        title=_("换班申请待审批"),
        body=f"{shift.day:%Y-%m-%d} {shift.get_post_display()}：{shift.user} → {to_user}",
        link=reverse("centers:duty"),
        kind="duty_swap",
        dedupe_key=f"duty_swap:{swap.pk}",
    )
    return swap


@transaction.atomic
def decide_swap(
    *, swap: DutySwap, approve: bool, actor: User, now: dt.datetime | None = None
) -> DutySwap:
    swap = DutySwap.objects.select_for_update().select_related("shift__center").get(pk=swap.pk)
    _require(actor, swap.shift.center, selectors.APPROVE_ROLES)
    if actor.pk in (swap.from_user_id, swap.to_user_id):
        raise PermissionDenied(_("换班当事人不能审批自己的申请。"))
    if swap.status != SwapStatus.PENDING:
        raise Conflict(_("这个换班申请已经审批过了。"))
    swap.status = SwapStatus.APPROVED if approve else SwapStatus.REJECTED
    swap.decided_by, swap.decided_at = actor, now or timezone.now()
    swap.save()
    if approve:
        DutyShift.objects.filter(pk=swap.shift_id).update(user=swap.to_user)
    return swap


def alert_on_duty(case: Case, *, now: dt.datetime | None = None) -> list[DutyAlert]:
    """Tell the center's 总值班长 and 值班主任 of the day of a red case (once per person)."""
    now = now or timezone.now()
    shifts = DutyShift.objects.filter(
        center_id=case.center_id, day=timezone.localdate(now), post__in=ALERT_POSTS
    ).select_related("user")
    made = []
    for shift in shifts:
        alert, created = DutyAlert.objects.get_or_create(
            case=case,
            user=shift.user,
            defaults={"center_id": case.center_id, "post": shift.post, "sent_at": now},
        )
        if created:
            made.append(alert)
            notify(
                recipients=[shift.user],
                title=_("红色风险案件：%(code)s") % {"code": case.code},
                body=case.title,
                link=reverse("workbench:case", args=[case.code]),
                kind="duty_red_case",
                dedupe_key=f"duty_red:{case.pk}",
                now=now,
            )
    return made


def on_case_event(event: CaseEvent) -> None:
    """Case-event handler: a case registered or re-graded red alerts the leaders on duty."""
    changes = (event.data or {}).get("changes", {})
    if event.action != "register" and "risk_level" not in changes:
        return
    case = (
        Case.objects.filter(pk=event.case_id)
        .only("pk", "code", "title", "center_id", "risk_level")
        .first()
    )
    if case is not None and case.risk_level == RiskLevel.RED:
        alert_on_duty(case, now=event.created_at)


# --- meetings ------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    center: Unit,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    period_start: dt.date,
    period_end: dt.date,
    actor: User,
    place: str = "",
    units: Iterable[Unit] | None = None,
) -> Meeting:
    """Schedule a meeting; its agenda is drawn from the period's cases and the invited
    units default to the center's resident and rotating departments."""
    _require(actor, center)
    if kind not in MeetingKind.values:
        raise ValidationFailed(_("请选择会议类型。"))
    if period_end < period_start:
        raise ValidationFailed(_("研判截止日不能早于起始日。"))
    meeting = Meeting.objects.create(
        center=center,
        kind=kind,
        title=_text(title, _("会议名称"), 200),
        starts_at=starts_at,
        place=_text(place, _("地点"), 120, required=False),
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    if units is None:
        units = selectors.departments_of(center).filter(residency__in=selectors.IN_CENTER)
    Participant.objects.bulk_create([Participant(meeting=meeting, unit=u) for u in units])
    refresh_agenda(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def refresh_agenda(*, meeting: Meeting, actor: User) -> int:
    """Add the period's cases that are not yet on the agenda; returns how many were added."""
    _require(actor, meeting.center)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("会议已召开，议题不能再变。"))
    have = set(meeting.agenda.values_list("case_id", flat=True))
    start = meeting.agenda.count()
    new = [
        AgendaItem(meeting=meeting, case=case, reasons=reasons, position=start + i + 1)
        for i, (case, reasons) in enumerate(
            (c, r)
            for c, r in selectors.draw_agenda(
                meeting.center, meeting.period_start, meeting.period_end
            )
            if c.pk not in have
        )
    ]
    AgendaItem.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, attended: dict[int, str], actor: User
) -> list[Participant]:
    """``attended`` maps participant ids to the attendee's name (absent ones are left out)."""
    _require(actor, meeting.center)
    rows = list(meeting.participants.select_for_update())
    for p in rows:
        name = (attended.get(p.pk) or "").strip()[:64]
        p.attended = p.pk in attended
        p.attendee = name if p.attended else ""
    Participant.objects.bulk_update(rows, ["attended", "attendee"])
    return rows


@transaction.atomic
def hold_meeting(
    *, meeting: Meeting, minutes: str, actor: User, now: dt.datetime | None = None
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require(actor, meeting.center)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict(_("会议已取消。"))
    meeting.minutes = _text(minutes, _("会议纪要"), 20000)
    meeting.status = MeetingStatus.HELD
    meeting.held_at = meeting.held_at or now or timezone.now()
    meeting.save()
    return meeting


def due_after_workdays(start: dt.date, days: int) -> dt.date:
    """The day ``days`` working days after ``start`` on the working-day calendar."""
    return load_calendar([start.year, start.year + 1]).nth_workday_after(start, days)


@transaction.atomic
def add_task(
    *,
    meeting: Meeting,
    text: str,
    owner: Unit,
    actor: User,
    due_date: dt.date | None = None,
    workdays: int | None = None,
    agenda_item: AgendaItem | None = None,
) -> MeetingTask:
    """A decision becomes a task; its deadline is a date or a number of working days."""
    _require(actor, meeting.center)
    if due_date is None:
        if not workdays or workdays < 1:
            raise ValidationFailed(_("请填写完成期限或工作日数。"))
        due_date = due_after_workdays(timezone.localdate(), workdays)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationFailed(_("议题不属于这次会议。"))
    task = MeetingTask.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        text=_text(text, _("决定事项"), 300),
        owner=owner,
        due_date=due_date,
    )
    notify(
        recipients=_unit_users(owner),
        title=_("会议交办任务"),
        body=f"{meeting.title}：{task.text}（{due_date:%Y-%m-%d}）",
        link=reverse("centers:meeting", args=[meeting.pk]),
        kind="meeting_task",
        dedupe_key=f"meeting_task:{task.pk}",
    )
    return task


def _unit_users(unit: Unit) -> list[User]:
    return list(
        User.objects.filter(
            memberships__unit=unit, memberships__is_active=True, is_active=True
        ).distinct()
    )


@transaction.atomic
def complete_task(
    *, task: MeetingTask, result: str, actor: User, now: dt.datetime | None = None
) -> MeetingTask:
    task = MeetingTask.objects.select_for_update().select_related("meeting__center").get(pk=task.pk)
    in_owner = actor.memberships.filter(unit=task.owner, is_active=True).exists()
    if not in_owner and not selectors.may_manage(actor, task.meeting.center):
        raise PermissionDenied(_("只有责任单位或中心可以反馈落实情况。"))
    if task.status == TaskStatus.DONE:
        raise Conflict(_("这个任务已经完成。"))
    task.result = _text(result, _("落实情况"), 2000)
    task.status, task.done_at = TaskStatus.DONE, now or timezone.now()
    task.save()
    return task


@transaction.atomic
def summon(
    *,
    center: Unit,
    units: Iterable[Unit],
    site: str,
    reason: str,
    actor: User,
    case: Case | None = None,
    now: dt.datetime | None = None,
) -> Summons:
    """「中心吹哨」: summon departments to a case or a site; each is told at once."""
    _require(actor, center, selectors.APPROVE_ROLES | frozenset({"dispatcher"}))
    units = list(units)
    if not units:
        raise ValidationFailed(_("请选择要吹哨的部门。"))
    s = Summons.objects.create(
        center=center,
        case=case,
        site=_text(site, _("地点"), 200),
        reason=_text(reason, _("事由"), 300),
        summoned_at=now or timezone.now(),
        created_by=actor,
    )
    SummonsCall.objects.bulk_create([SummonsCall(summons=s, unit=u) for u in units])
    for u in units:
        notify(
            recipients=_unit_users(u),
            title=_("吹哨报到"),
            body=f"{s.site}：{s.reason}",
            link=reverse("centers:meetings"),
            kind="summons",
            dedupe_key=f"summons:{s.pk}",
        )
    return s


@transaction.atomic
def check_in(
    *, call: SummonsCall, name: str, actor: User, now: dt.datetime | None = None
) -> SummonsCall:
    """「部门报到」: who came and when."""
    call = SummonsCall.objects.select_for_update().select_related("summons__center").get(pk=call.pk)
    in_unit = actor.memberships.filter(unit=call.unit, is_active=True).exists()
    if not in_unit and not selectors.may_manage(
        actor, call.summons.center, selectors.APPROVE_ROLES | frozenset({"dispatcher"})
    ):
        raise PermissionDenied(_("您不能为这个部门报到。"))
    if call.arrived_at:
        return call  # a second press of the button changes nothing
    call.arrived_by = _text(name, _("报到人"), 64)
    call.arrived_at = now or timezone.now()
    call.save()
    return call


# --- departments' periodic reports ---------------------------------------------------------


@transaction.atomic
def open_report_round(
    *, center: Unit, period: dt.date, due_date: dt.date, actor: User
) -> list[FactorReport]:
    """Ask every department linked to the center for its 不稳定因素 of ``period``."""
    _require(actor, center)
    period = period.replace(day=1)
    made = []
    for unit in selectors.departments_of(center).exclude(residency=Residency.NONE):
        report, created = FactorReport.objects.get_or_create(
            center=center, unit=unit, period=period, defaults={"due_date": due_date}
        )
        if created:
            made.append(report)
    return made


@transaction.atomic
def submit_report(
    *, report: FactorReport, content: str, actor: User, now: dt.datetime | None = None
) -> FactorReport:
    report = FactorReport.objects.select_for_update().get(pk=report.pk)
    if not actor.memberships.filter(unit=report.unit_id, is_active=True).exists():
        raise PermissionDenied(_("只有本部门可以报送。"))
    if report.submitted_at:
        raise Conflict(_("本期已经报送。"))
    now = now or timezone.now()
    report.content = _text(content, _("不稳定因素"), 5000)
    report.submitted_at, report.submitted_by = now, actor
    late = timezone.localdate(now) > report.due_date
    report.status = ReportStatus.LATE if late else ReportStatus.SUBMITTED
    report.save()
    return report


# --- emergency plans -----------------------------------------------------------------------


@transaction.atomic
def open_plan(
    *,
    case: Case,
    template: PlanTemplate,
    roster: dict[str, str],
    actor: User,
    now: dt.datetime | None = None,
) -> PlanActivation:
    """Open a plan for a red case: the roster names a person per post; tasks get times."""
    center = case.center
    _require(actor, center, selectors.APPROVE_ROLES)
    if case.risk_level != RiskLevel.RED:
        raise ValidationFailed(_("只有红色风险案件可以启动应急预案。"))
    if PlanActivation.objects.filter(case=case, status=PlanStatus.ACTIVE).exists():
        raise Conflict(_("这个案件已经启动了应急预案。"))
    now = now or timezone.now()
    plan = PlanActivation.objects.create(
        template=template,
        case=case,
        center=center,
        opened_at=now,
        opened_by=actor,
        roster=[{"post": p, "name": (roster.get(p) or "").strip()[:64]} for p in template.roster],
    )
    PlanTask.objects.bulk_create(
        [
            PlanTask(
                activation=plan,
                title=t["title"],
                due_at=now + dt.timedelta(minutes=int(t.get("minutes", 60))),
            )
            for t in template.tasks
        ]
    )
    return plan


@transaction.atomic
def finish_plan_task(*, task: PlanTask, actor: User, now: dt.datetime | None = None) -> PlanTask:
    _require(actor, task.activation.center, selectors.APPROVE_ROLES)
    if task.done_at is None:
        task.done_at = now or timezone.now()
        task.save(update_fields=["done_at"])
    return task


@transaction.atomic
def close_plan(
    *, plan: PlanActivation, summary: str, actor: User, now: dt.datetime | None = None
) -> PlanActivation:
    plan = PlanActivation.objects.select_for_update().get(pk=plan.pk)
    _require(actor, plan.center, selectors.APPROVE_ROLES)
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(_("应急处置已经结束。"))
    plan.summary = _text(summary, _("处置总结"), 10000)
    plan.status, plan.closed_at = PlanStatus.CLOSED, now or timezone.now()
    plan.save()
    return plan


# --- assessment notices --------------------------------------------------------------------


@transaction.atomic
def issue_notice(
    *,
    kind: str,
    unit: Unit,
    issued_by: Unit,
    period: dt.date,
    text: str,
    actor: User,
    cases: Iterable[str] = (),
    talked_with: str = "",
    now: dt.datetime | None = None,
) -> AssessmentNotice:
    """A 通报, 约谈 or 一票否决 of a unit under the issuing center."""
    _require(actor, issued_by)
    if kind not in NoticeKind.values:
        raise ValidationFailed(_("请选择类别。"))
    if issued_by.kind != UnitKind.CENTER:
        raise ValidationFailed(_("通报约谈由综治中心发出。"))
    if kind == NoticeKind.INTERVIEW and not talked_with.strip():
        raise ValidationFailed(_("约谈需要填写约谈对象。"))
    return AssessmentNotice.objects.create(
        kind=kind,
        unit=unit,
        issued_by=issued_by,
        period=period.replace(day=1),
        text=_text(text, _("内容"), 5000),
        cases=list(cases)[:100],
        talked_with=talked_with.strip()[:64],
        created_at=now or timezone.now(),
        created_by=actor,
    )


# --- the sweep -----------------------------------------------------------------------------


@dataclass
class SweepResult:
    supervised: int = 0
    reminded: int = 0


def sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Supervise overdue meeting tasks; remind departments of reports due within 2 days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()
    for task in MeetingTask.objects.filter(
        status=TaskStatus.OPEN, due_date__lt=today, supervised_at__isnull=True
    ).select_related("meeting", "owner")[:500]:
        with transaction.atomic():
            if MeetingTask.objects.filter(pk=task.pk, supervised_at__isnull=True).update(
                supervised_at=now
            ):
                result.supervised += 1
                notify(
                    recipients=_unit_users(task.owner),
                    title=_("会议任务逾期督办"),
                    body=f"{task.text}（{task.due_date:%Y-%m-%d}）",
                    link=reverse("centers:meeting", args=[task.meeting_id]),
                    kind="meeting_task_overdue",
                    dedupe_key=f"meeting_task_overdue:{task.pk}",
                    now=now,
                )
    for report in FactorReport.objects.filter(
        status=ReportStatus.DUE,
        reminded_at__isnull=True,
        due_date__lte=today + dt.timedelta(days=2),
    ).select_related("unit")[:500]:
        with transaction.atomic():
            if FactorReport.objects.filter(pk=report.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                result.reminded += 1
                notify(
                    recipients=_unit_users(report.unit),
                    title=_("不稳定因素报送提醒"),
                    body=_("%(month)s的不稳定因素请于%(due)s前报送。")
                    % {"month": f"{report.period:%Y-%m}", "due": f"{report.due_date:%Y-%m-%d}"},
                    link=reverse("centers:reports"),
                    kind="factor_report_due",
                    dedupe_key=f"factor_report_due:{report.pk}",
                    now=now,
                )
    return result
