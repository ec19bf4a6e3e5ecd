"""The centers' own records: the 五有/五规范 checklist and inspections, staffing norms and
staff, residency rotation, the duty roster, meetings with their agenda and tasks, 吹哨报到,
departments' periodic reports, emergency plans, and assessment rules and notices.

Every rule (checklist items, staffing norms, assessment weights, plan templates) is a row an
admin edits; the defaults are the seeds' figures (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case
from fengqiao.centers.choices import (
    AgendaReason,
    DutyPost,
    InspectionResult,
    ItemGroup,
    MeetingKind,
    MeetingStatus,
    NoticeKind,
    PlanStatus,
    ReportStatus,
    StaffKind,
    SwapStatus,
    TaskStatus,
)
from fengqiao.core.i18n import pick_name
from fengqiao.org.models import Unit
from fengqiao.regions.models import Level

USER = settings.AUTH_USER_MODEL


class NamedRule(models.Model):
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return pick_name(self.name, self.name_en)


# --- standardization -----------------------------------------------------------------------


class ChecklistItem(NamedRule):
    """One item of the 规范化建设 checklist (五有, 五规范, or a function area)."""

    group = models.CharField(_("类别"), max_length=16, choices=ItemGroup.choices)
    requirement = models.TextField(_("要求"), blank=True)
    points = models.PositiveSmallIntegerField(_("考核分值"), default=10)
    levels = models.JSONField(
        _("适用层级"), default=list, blank=True, help_text=_("为空表示各级都适用")
    )

    class Meta(NamedRule.Meta):
        verbose_name = _("规范化检查项")
        verbose_name_plural = _("规范化检查项")

    def applies_to(self, level: int) -> bool:
        return not self.levels or level in self.levels


class CenterCheck(models.Model):
    """Whether one center meets one checklist item, with its evidence."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="standard_checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="checks")
    met = models.BooleanField(_("达标"), default=False)
    evidence = models.TextField(_("佐证说明"), blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to="centers/evidence/%Y/", blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("规范化自查")
        verbose_name_plural = _("规范化自查")
        constraints = [
            models.UniqueConstraint(fields=["center", "item"], name="center_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.center} · {self.item}"


class Inspection(models.Model):
    """An inspection and acceptance (检查验收) of a center by a higher center."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField(_("检查日期"))
    inspector = models.CharField(_("检查组"), max_length=120)
    result = models.CharField(_("结论"), max_length=16, choices=InspectionResult.choices)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("检查验收")
        verbose_name_plural = _("检查验收")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.center} · {self.inspected_on}"


class Finding(models.Model):
    """A problem an inspection found, with its rectification deadline."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.CharField(_("问题"), max_length=300)
    deadline = models.DateField(_("整改期限"))
    rectified_at = models.DateTimeField(_("整改完成"), null=True, blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)

    class Meta:
        verbose_name = _("检查问题")
        verbose_name_plural = _("检查问题")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.text


# --- staffing and residency ----------------------------------------------------------------


class StaffingNorm(models.Model):
    """The full-time staff a center of one level must have, and the residency target."""

    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, unique=True)
    min_full_time = models.PositiveSmallIntegerField(_("专职人员下限"))
    max_full_time = models.PositiveSmallIntegerField(_("专职人员上限"), null=True, blank=True)
    residency_target = models.PositiveSmallIntegerField(
        _("入驻率目标（%）"), default=50, help_text=_("常驻和轮驻部门占对接部门的比例")
    )

    class Meta:
        verbose_name = _("人员配备标准")
        verbose_name_plural = _("人员配备标准")
        ordering = ["level"]

    def __str__(self) -> str:
        return str(self.get_level_display())


class CenterStaff(models.Model):
    """A person working in a center: full-time, seconded from a home unit, or part-time."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="center_staff")
    name = models.CharField(_("姓名"), max_length=64)
    kind = models.CharField(_("类别"), max_length=16, choices=StaffKind.choices)
    home_unit = models.ForeignKey(
        Unit,
        verbose_name=_("派出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seconded_staff",
    )
    post = models.CharField(_("岗位"), max_length=64, blank=True)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    started_on = models.DateField(_("到岗日期"))
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("中心人员")
        verbose_name_plural = _("中心人员")
        ordering = ["center_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class RotationSlot(models.Model):
    """A rotating (轮驻) department's day in the center, by weekday (0 = Monday)."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rotation_slots")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rotation_days")
    weekday = models.PositiveSmallIntegerField(_("星期"))

    class Meta:
        verbose_name = _("轮驻安排")
        verbose_name_plural = _("轮驻安排")
        constraints = [
            models.UniqueConstraint(fields=["center", "unit", "weekday"], name="rotation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.weekday}"


# --- duty ----------------------------------------------------------------------------------


class DutyShift(models.Model):
    """Who holds one duty post of one center on one day."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="duty_shifts")
    day = models.DateField(_("日期"))
    post = models.CharField(_("岗位"), max_length=20, choices=DutyPost.choices)
    user = models.ForeignKey(USER, verbose_name=_("值班人"), on_delete=models.PROTECT)
    phone = models.CharField(_("值班电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["day", "post"]
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "post"], name="duty_shift_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_post_display()} {self.user}"


class DutySwap(models.Model):
    """A request to hand one shift to someone else; the center's director approves it."""

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="swaps")
    from_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(USER, verbose_name=_("替班人"), on_delete=models.PROTECT)
    reason = models.CharField(_("理由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.shift} → {self.to_user}"


class DutyAlert(models.Model):
    """A red case's alert sent to the leader on duty (one per case and recipient)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    post = models.CharField(_("岗位"), max_length=20, choices=DutyPost.choices)
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("值班提醒")
        verbose_name_plural = _("值班提醒")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="duty_alert_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.user}"


# --- meetings ------------------------------------------------------------------------------


class Meeting(models.Model):
    """A 联席会议, monthly 研判会 or 会商会办 of a center."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("召开时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    period_start = models.DateField(_("研判起始日"))
    period_end = models.DateField(_("研判截止日"))
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    held_at = models.DateTimeField(_("召开完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A unit invited to a meeting, and whether (and who) attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(Unit, verbose_name=_("参会单位"), on_delete=models.PROTECT)
    attended = models.BooleanField(_("出席"), default=False)
    attendee = models.CharField(_("出席人"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("参会单位")
        verbose_name_plural = _("参会单位")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return str(self.unit)


class AgendaItem(models.Model):
    """A case on a meeting's agenda, with the reasons it was drawn."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(_("列入原因"), default=list)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    discussion = models.TextField(_("研判意见"), blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_unique")
        ]

    def __str__(self) -> str:
        return str(self.case)

    def reason_labels(self) -> list[str]:
        return [str(AgendaReason(r).label) for r in self.reasons if r in AgendaReason.values]


class MeetingTask(models.Model):
    """A decision of a meeting that became a task with an owner and a deadline."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.CharField(_("决定事项"), max_length=300)
    owner = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT)
    due_date = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    result = models.TextField(_("落实情况"), blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议任务")
        verbose_name_plural = _("会议任务")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text


class Summons(models.Model):
    """「中心吹哨、部门报到」: the center summons departments to a case or a site."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="summonses")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL)
    site = models.CharField(_("地点"), max_length=200)
    reason = models.CharField(_("事由"), max_length=300)
    summoned_at = models.DateTimeField(_("吹哨时间"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("吹哨")
        verbose_name_plural = _("吹哨")
        ordering = ["-summoned_at"]

    def __str__(self) -> str:
        return self.reason


class SummonsCall(models.Model):
    """One department summoned; who came and when."""

    summons = models.ForeignKey(Summons, on_delete=models.CASCADE, related_name="calls")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    arrived_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    arrived_by = models.CharField(_("报到人"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("报到")
        verbose_name_plural = _("报到")
        constraints = [
            models.UniqueConstraint(fields=["summons", "unit"], name="summons_call_unique")
        ]

    def __str__(self) -> str:
        return str(self.unit)


# --- departments' periodic reports ---------------------------------------------------------


class FactorReport(models.Model):
    """A department's periodic report of 不稳定因素 to its center, with a due date."""

    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="factor_reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("报送月份"))
    due_date = models.DateField(_("报送期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    content = models.TextField(_("不稳定因素"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("不稳定因素报送")
        verbose_name_plural = _("不稳定因素报送")
        ordering = ["-period", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "unit", "period"], name="factor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period:%Y-%m}"


# --- emergency plans -----------------------------------------------------------------------


class PlanTemplate(NamedRule):
    """An 应急处置预案 template for one incident type: its roster posts and timed tasks."""

    incident = models.CharField(_("事件类型"), max_length=100)
    roster = models.JSONField(_("指挥岗位"), default=list)  # ["总指挥", ...]
    tasks = models.JSONField(_("处置任务"), default=list)  # [{"title", "minutes"}]

    class Meta(NamedRule.Meta):
        verbose_name = _("应急预案模板")
        verbose_name_plural = _("应急预案模板")


class PlanActivation(models.Model):
    """A plan opened for a red case: its command roster, tasks and after-action summary."""

    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="plans")
    opened_at = models.DateTimeField(_("启动时间"))
    opened_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    roster = models.JSONField(_("指挥人员"), default=list)  # [{"post", "name"}]
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    summary = models.TextField(_("处置总结"), blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预案启动")
        verbose_name_plural = _("预案启动")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.template} · {self.case}"


class PlanTask(models.Model):
    activation = models.ForeignKey(PlanActivation, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("任务"), max_length=200)
    due_at = models.DateTimeField(_("完成时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return self.title


# --- assessment ----------------------------------------------------------------------------


class AssessmentWeight(NamedRule):
    """The weight of one indicator in the monthly assessment (points out of 100)."""

    weight = models.PositiveSmallIntegerField(_("权重"))

    class Meta(NamedRule.Meta):
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")


class AssessmentNotice(models.Model):
    """A 通报, 约谈 or 一票否决 of a unit for one month."""

    kind = models.CharField(_("类别"), max_length=16, choices=NoticeKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("考核月份"))
    text = models.TextField(_("内容"))
    cases = models.JSONField(_("涉及案件"), default=list)
    talked_with = models.CharField(_("约谈对象"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("通报约谈")
        verbose_name_plural = _("通报约谈")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit}"
