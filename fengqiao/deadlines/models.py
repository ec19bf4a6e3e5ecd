"""Working-day calendar, time-limit rules and the per-case clocks that the sweep watches."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import CaseKind, RiskLevel
from fengqiao.cases.models import Case, Category
from fengqiao.deadlines.choices import Counting, DayKind, ExtensionStatus, Stage, TimerKind
from fengqiao.org.models import Unit


class CalendarYear(models.Model):
    """A year whose official holiday schedule an admin entered (it overrides the package)."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day of an entered year that differs from Monday–Friday: a holiday or a make-up
    working day (调休上班)."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年份"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        if self.calendar_year_id and self.date and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": _("日期不在该年份内。")})


class TimeLimitRule(models.Model):
    """Time limits for one kind of case: the most specific matching rule applies
    (category, then kind; a rule for the case's risk level before one for any level)."""

    name = models.CharField(_("名称"), max_length=64)
    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("留空表示按事项类型匹配；分类规则也适用于其下级分类"),
    )
    kind = models.CharField(
        _("事项类型"),
        max_length=16,
        choices=CaseKind.choices,
        blank=True,
        help_text=_("留空表示全部"),
    )
    risk_level = models.CharField(
        _("风险等级（层级）"),
        max_length=16,
        choices=RiskLevel.choices,
        blank=True,
        help_text=_("蓝色=村级调，黄色=乡级办，红色=市级统；留空表示全部"),
    )
    counting = models.CharField(
        _("计算方式"), max_length=16, choices=Counting.choices, default=Counting.WORKING
    )
    sign_days = models.PositiveSmallIntegerField(_("签收时限（天）"), default=1)
    resolve_days = models.PositiveSmallIntegerField(_("办结时限（天）"), default=10)
    visit_days = models.PositiveSmallIntegerField(_("回访时限（天）"), default=5)
    report_every_days = models.PositiveSmallIntegerField(
        _("进展报告间隔（天）"), null=True, blank=True
    )
    max_extensions = models.PositiveSmallIntegerField(_("可延期次数"), default=1)
    max_extension_days = models.PositiveSmallIntegerField(_("每次最多延期（天）"), default=10)
    warn_share = models.DecimalField(
        _("预警比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("0.99"))],
        help_text=_("用去时限的这一比例时发出预警，如0.75"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["kind", "category_id", "risk_level", "id"]

    def __str__(self) -> str:
        return self.name


class CaseTimer(models.Model):
    """One clock of one case (sign, resolve or visit back), with its precomputed milestones.

    ``next_check_at`` is the next milestone not yet reached (null when stopped or paused):
    the sweep reads only the timers whose ``next_check_at`` has passed.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="timers"
    )
    kind = models.CharField(_("时限类型"), max_length=16, choices=TimerKind.choices)
    period = models.PositiveIntegerField(_("轮次"), default=1)
    counting = models.CharField(
        _("计算方式"), max_length=16, choices=Counting.choices, default=Counting.WORKING
    )
    limit_days = models.PositiveSmallIntegerField(_("时限（天）"), default=0)
    warn_share = models.DecimalField(
        _("预警比例"), max_digits=3, decimal_places=2, default=Decimal("0.75")
    )
    started_at = models.DateTimeField(_("起算时间"))
    deadline = models.DateTimeField(_("期限"))
    warn_at = models.DateTimeField(_("预警时间"))
    severe_at = models.DateTimeField(_("超期过半时间"))
    critical_at = models.DateTimeField(_("超期一倍时间"))
    stage = models.PositiveSmallIntegerField(
        _("阶段"), choices=Stage.choices, default=Stage.RUNNING
    )
    next_check_at = models.DateTimeField(_("下次检查"), null=True, blank=True)
    is_running = models.BooleanField(_("计时中"), default=True)
    paused_since = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    pause_reason = models.CharField(_("暂停原因"), max_length=200, blank=True)
    paused_seconds = models.BigIntegerField(_("累计暂停（工作秒）"), default=0)
    warned_at = models.DateTimeField(_("预警发出时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期时间"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("已延期次数"), default=0)
    note = models.CharField(_("提示"), max_length=200, blank=True)
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("案件时限")
        verbose_name_plural = _("案件时限")
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="timer_unique_kind")]
        indexes = [
            models.Index(fields=["next_check_at"], name="timer_next_check"),
            models.Index(fields=["kind", "stage", "is_running"], name="timer_kind_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.deadline}"


class TimerStage(models.Model):
    """A milestone a timer reached in one period: written once (unique), so that nothing is
    sent twice. ``awaiting_followup`` marks overdue stages (handling limit, progress report)
    that higher apps (supervision) have not yet acted on."""

    timer = models.ForeignKey(CaseTimer, on_delete=models.CASCADE, related_name="stages")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=TimerKind.choices)
    period = models.PositiveIntegerField()
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    reached_at = models.DateTimeField()
    awaiting_followup = models.BooleanField(default=False)
    # Not to be acted on before this time (supervision waits an interval after an order).
    followup_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("时限节点")
        verbose_name_plural = _("时限节点")
        constraints = [
            models.UniqueConstraint(fields=["timer", "period", "stage"], name="timer_stage_once")
        ]
        indexes = [
            models.Index(
                fields=["reached_at"],
                name="timer_stage_followup",
                condition=Q(awaiting_followup=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.timer_id}#{self.period} {self.stage}"


class ExtensionRequest(models.Model):
    """A unit's request for more time (延期申请), decided by the center."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("申请单位"), null=True, on_delete=models.SET_NULL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("延期理由"))
    days = models.PositiveSmallIntegerField(_("申请延期天数"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    old_deadline = models.DateTimeField(_("原期限"))
    new_deadline = models.DateTimeField(_("新期限"), null=True, blank=True)
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days} {self.status}"
