"""Pre-aggregated case counts (rollups) that keep dashboards fast at national scale.

Each case counts once in every dimension (status, category, risk, tier, satisfaction,
on-time) of its month, at the level of its center's county (or the center itself when that
is above county). A dashboard for a county or a province sums a few thousand rollup rows
instead of scanning millions of cases.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case


class RollupCount(models.Model):
    path = models.CharField(_("区划路径"), max_length=80)
    month = models.DateField(_("月份"))
    dimension = models.CharField(_("维度"), max_length=16)
    value = models.CharField(_("取值"), max_length=32)
    n = models.IntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["path", "month", "dimension", "value"], name="rollup_unique_key"
            )
        ]
        # A dashboard reads one path's rows (by dimension and value, or by month for one
        # dimension); with the count in the index it reads them from the index alone, however
        # scattered the rows lie in the table (bench: dashboard_county).
        indexes = [
            models.Index(
                fields=["path", "dimension", "month", "value", "n"], name="rollup_path_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m} {self.dimension}={self.value}: {self.n}"


class CaseRollupState(models.Model):
    """What a case currently contributes to the rollups, so a change moves exactly its
    own counts from the old buckets to the new ones."""

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=80)
    month = models.DateField()
    values = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("案件统计状态")
        verbose_name_plural = _("案件统计状态")

    def __str__(self) -> str:
        return str(self.case_id)
