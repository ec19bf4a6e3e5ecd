"""Grid workers (the 五级 chain inside a grid) and the audit trail of grid management."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import crypto
from fengqiao.grid.choices import Employment, GridPost
from fengqiao.regions.models import Grid


class GridWorker(models.Model):
    """One person in a grid's chain: 网格长, 网格员 (full- or part-time), 微网格长, 楼栋长.

    ``user`` is the staff account of a worker who uses the system (the grid worker's phone
    page); building heads are often volunteers without one. ``reports_to`` is the person
    above in the chain. The service phone is published on the grid's public page
    (「网格员信息上墙公开」) and stored encrypted like every phone."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="workers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_posts",
    )
    name = models.CharField(_("姓名"), max_length=32)
    post = models.CharField(_("岗位"), max_length=16, choices=GridPost.choices)
    employment = models.CharField(
        _("专兼职"), max_length=16, choices=Employment.choices, default=Employment.FULL_TIME
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    phone_enc = models.TextField(_("服务电话（加密）"), blank=True)
    phone_mask = models.CharField(_("服务电话"), max_length=20, blank=True)
    duties = models.CharField(_("职责"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    started_on = models.DateField(_("上岗日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网格人员")
        verbose_name_plural = _("网格人员")
        ordering = ["grid_id", "post", "id"]
        indexes = [models.Index(fields=["user", "is_active"], name="gridworker_user")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_post_display()}）"

    def set_phone(self, phone: str) -> None:
        self.phone_enc = crypto.encrypt(crypto.normalize_phone(phone))
        self.phone_mask = crypto.mask_phone(phone) if phone else ""

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_enc)


class AuditEntry(models.Model):
    """One write of grid management: who did what to which object, when (append-only)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.CharField(_("对象"), max_length=40)
    region_path = models.CharField(_("区划路径"), max_length=80, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("网格操作记录")
        verbose_name_plural = _("网格操作记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="gridaudit_object")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"
