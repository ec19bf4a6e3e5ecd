"""Visits back (回访) after closing, the citizen's satisfaction, and monthly random samples."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Satisfaction
from fengqiao.cases.models import Case
from fengqiao.followup.choices import Outcome, TaskStatus, VisitMethod
from fengqiao.org.models import Unit


class MonthlySample(models.Model):
    """One center's random sample of closed cases for one month, drawn once, reproducibly."""

    center = models.ForeignKey(
        Unit, verbose_name=_("综治中心"), on_delete=models.PROTECT, related_name="visit_samples"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    seed = models.CharField(_("随机种子"), max_length=64)
    size = models.PositiveIntegerField(_("抽样数量"))
    population = models.PositiveIntegerField(_("可抽案件数"), default=0)
    case_codes = models.JSONField(_("抽中案件"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("月度抽样回访")
        verbose_name_plural = _("月度抽样回访")
        ordering = ["-month", "center_id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="sample_unique_center_month")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.month:%Y-%m}"


class VisitTask(models.Model):
    """A case to visit back: one per closing (routine), or one drawn in a monthly sample."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="visit_tasks"
    )
    center = models.ForeignKey(
        Unit, verbose_name=_("回访中心"), on_delete=models.PROTECT, related_name="visit_tasks"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    is_sample = models.BooleanField(_("抽样回访"), default=False)
    sample = models.ForeignKey(
        MonthlySample,
        verbose_name=_("所属抽样"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    # The close event that opened a routine task: one task per closing, however often the
    # handler runs.
    close_event_id = models.BigIntegerField(null=True, blank=True, editable=False)
    party_key = models.CharField(max_length=64, blank=True, editable=False)
    due_at = models.DateTimeField(_("回访时限"))
    created_at = models.DateTimeField(_("创建时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="visit_task_due"),
            models.Index(fields=["center", "status"], name="visit_task_center"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["close_event_id"],
                condition=Q(close_event_id__isnull=False),
                name="visit_task_unique_close",
            ),
            models.UniqueConstraint(
                fields=["sample", "case"],
                condition=Q(sample__isnull=False),
                name="visit_task_unique_sample_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_status_display()}"


class Visit(models.Model):
    """One visit back (or one attempt that reached no one)."""

    task = models.ForeignKey(
        VisitTask, verbose_name=_("回访任务"), on_delete=models.CASCADE, related_name="visits"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="visits"
    )
    method = models.CharField(_("回访方式"), max_length=16, choices=VisitMethod.choices)
    reached = models.BooleanField(_("已联系上"), default=True)
    reached_person = models.CharField(_("回访对象"), max_length=120, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("群众意见"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_at = models.DateTimeField(_("回访时间"))

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["case_id", "visited_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_method_display()}"
