"""Supervision orders (督办): they run beside the case loop, not inside it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case
from fengqiao.core.i18n import pick_name
from fengqiao.org.models import Unit
from fengqiao.supervision.choices import Grade, OrderStatus


class SupervisionOrder(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="supervision_orders"
    )
    grade = models.CharField(_("督办等级"), max_length=16, choices=Grade.choices)
    requirement = models.TextField(_("督办要求"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("被督办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    reply_deadline = models.DateTimeField(_("回复期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    is_automatic = models.BooleanField(_("自动督办"), default=False)
    reason = models.CharField(_("督办原因"), max_length=64, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("督办时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.TextField(_("办结意见"), blank=True)
    # Assessment points the unit loses (the grade's points when the order was issued).
    points = models.DecimalField(_("扣分"), max_digits=5, decimal_places=1, default=Decimal("0"))
    # Rules key of an automatic order (one order per key and case: sweeps never repeat one).
    auto_key = models.CharField(_("规则标识"), max_length=64, blank=True, editable=False)
    escalated_from = models.ForeignKey(
        "self",
        verbose_name=_("升级自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    # When the next grade is due if the case makes no progress (the escalation ladder of an
    # automatic order: one grade per elapsed interval, never several at once).
    escalate_at = models.DateTimeField(_("下次升级时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["status", "reply_deadline"], name="supervision_due"),
            models.Index(fields=["unit", "grade", "status"], name="supervision_unit_grade"),
            models.Index(fields=["case", "status"], name="supervision_case_status"),
            models.Index(
                fields=["escalate_at"],
                name="supervision_escalate",
                condition=Q(escalate_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "auto_key"], condition=~Q(auto_key=""), name="supervision_auto_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_grade_display()}"


class SupervisionReply(models.Model):
    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(_("回复内容"))
    created_at = models.DateTimeField(_("回复时间"))

    class Meta:
        verbose_name = _("督办回复")
        verbose_name_plural = _("督办回复")
        ordering = ["order_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.text[:20]}"


class GradeSetting(models.Model):
    """What a center calls each grade (some say 普通 / 黄牌 / 红牌), the assessment points a
    unit loses for it, and the working days it has to reply."""

    grade = models.CharField(_("督办等级"), max_length=16, choices=Grade.choices, unique=True)
    name = models.CharField(_("显示名称"), max_length=32)
    name_en = models.CharField(
        _("英文显示名称"),
        max_length=64,
        blank=True,
        help_text=_("英文界面显示；不填则显示中文名称"),
    )
    points = models.DecimalField(_("扣分"), max_digits=5, decimal_places=1, default=Decimal("1"))
    reply_days = models.PositiveSmallIntegerField(_("回复时限（工作日）"), default=3)

    class Meta:
        verbose_name = _("督办等级设置")
        verbose_name_plural = _("督办等级设置")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (English when English is active and set)."""
        return pick_name(self.name, self.name_en)
