"""排查 campaigns: the county sends a topic down to grids; each grid reports findings, which
become cases or rectification tasks tracked to completion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.grid.choices import CampaignStatus, FindingOutcome, RectifyStatus, TaskStatus
from fengqiao.regions.models import Grid, Region


class Campaign(models.Model):
    title = models.CharField(_("排查主题"), max_length=120)
    description = models.TextField(_("排查要求"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("排查范围"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, editable=False)
    issuer = models.ForeignKey(
        "org.Unit", verbose_name=_("发起单位"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT
    )
    due_on = models.DateField(_("上报截止"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("排查行动")
        verbose_name_plural = _("排查行动")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CampaignTask(models.Model):
    """One grid's part of a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("排查行动"), on_delete=models.CASCADE, related_name="tasks"
    )
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80)
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("排查任务")
        verbose_name_plural = _("排查任务")
        ordering = ["grid__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "grid"], name="campaigntask_once")
        ]
        indexes = [models.Index(fields=["region_path", "status"], name="campaigntask_path")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.grid_id}"


class CampaignFinding(models.Model):
    task = models.ForeignKey(
        CampaignTask, verbose_name=_("排查任务"), on_delete=models.CASCADE, related_name="findings"
    )
    text = models.TextField(_("发现问题"))
    outcome = models.CharField(_("处置"), max_length=16, choices=FindingOutcome.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectify_status = models.CharField(
        _("整改状态"), max_length=8, choices=RectifyStatus.choices, blank=True
    )
    rectify_note = models.TextField(_("整改情况"), blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("排查发现")
        verbose_name_plural = _("排查发现")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]
