"""Bookkeeping of the demo generator, so that running it again adds nothing twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case


class DemoRun(models.Model):
    """The one demo build of this database: its seed and the moment it simulates up to."""

    seed = models.PositiveIntegerField(_("随机种子"))
    anchor = models.DateTimeField(_("模拟截止时间"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # When the closing sweeps at the anchor ran for the cases written so far.
    swept_count = models.PositiveIntegerField(_("已完成收尾的案件数"), default=0)

    class Meta:
        verbose_name = _("演示数据批次")
        verbose_name_plural = _("演示数据批次")

    def __str__(self) -> str:
        return f"seed {self.seed} @ {self.anchor:%Y-%m-%d %H:%M}"


class DemoCase(models.Model):
    """A case the generator wrote, by its index in the seeded sequence."""

    run = models.ForeignKey(DemoRun, on_delete=models.CASCADE, related_name="cases")
    index = models.PositiveIntegerField(_("序号"))
    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+"
    )
    applicant_key = models.CharField(_("申请人标识"), max_length=32, blank=True, db_index=True)
    cluster = models.CharField(_("聚集事件"), max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("演示案件")
        verbose_name_plural = _("演示案件")
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="demo_case_unique_index")
        ]

    def __str__(self) -> str:
        return f"#{self.index} → {self.case_id}"
