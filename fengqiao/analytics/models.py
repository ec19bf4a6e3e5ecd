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
    # What it adds to the cells: {"path": place path, "category": id, "channel": ..., "m": [...]}
    cell = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("案件统计状态")
        verbose_name_plural = _("案件统计状态")

    def __str__(self) -> str:
        return str(self.case_id)


# The measures a case adds to its cell (each 0 or 1), in column order.
CELL_MEASURES = (
    "total", "red", "yellow", "settled", "on_time", "late", "satisfied", "rated", "overdue",
    "repeat", "violent", "settled_village", "settled_township", "settled_above",
)  # fmt: skip


class RollupCell(models.Model):
    """Cases by the place they happened (the case's region and every region above it), month,
    category and channel: what the filtered dashboards, the comparison of regions below and
    the 平安稳定指数 read. One row per (path, month, category, channel) that has cases."""

    path = models.CharField(_("区划路径"), max_length=80)
    month = models.DateField(_("月份"))
    category = models.IntegerField(_("分类"), default=0)
    channel = models.CharField(_("来源渠道"), max_length=20, default="")
    total = models.IntegerField(default=0)
    red = models.IntegerField(default=0)
    yellow = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    repeat = models.IntegerField(default=0)
    violent = models.IntegerField(default=0)
    settled_village = models.IntegerField(default=0)
    settled_township = models.IntegerField(default=0)
    settled_above = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("分区统计")
        verbose_name_plural = _("分区统计")
        constraints = [
            models.UniqueConstraint(
                fields=["path", "month", "category", "channel"], name="rollup_cell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m} {self.category}/{self.channel}: {self.total}"


class IndexDirty(models.Model):
    """A (region path, month) whose cells changed since its index was last computed."""

    path = models.CharField(max_length=80)
    month = models.DateField()
    # The computation that claimed it; a change arriving meanwhile sets it back to NULL.
    batch = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("待计算指数")
        verbose_name_plural = _("待计算指数")
        constraints = [models.UniqueConstraint(fields=["path", "month"], name="index_dirty_key")]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"


class IndexWeights(models.Model):
    """The weights of the 平安稳定指数 (one row; the defaults are in stability.DEFAULTS)."""

    weights = models.JSONField(_("权重"), default=dict)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("指数权重")
        verbose_name_plural = _("指数权重")

    def __str__(self) -> str:
        return str(self.weights)


class RegionPopulation(models.Model):
    """Residents of a region (for cases per 10,000 residents); villages above are summed."""

    region = models.OneToOneField("regions.Region", primary_key=True, on_delete=models.CASCADE)
    path = models.CharField(max_length=80, unique=True)
    population = models.PositiveIntegerField(_("常住人口"))

    class Meta:
        verbose_name = _("常住人口")
        verbose_name_plural = _("常住人口")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.population}"


class StabilityIndex(models.Model):
    """The 平安稳定指数 of one region and month, with the inputs it was computed from."""

    path = models.CharField(_("区划路径"), max_length=80)
    month = models.DateField(_("月份"))
    level = models.PositiveSmallIntegerField(_("级别"))
    score = models.FloatField(_("指数"))
    total = models.IntegerField(default=0)
    red = models.IntegerField(default=0)
    repeat = models.IntegerField(default=0)
    violent = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    population = models.IntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("平安稳定指数")
        verbose_name_plural = _("平安稳定指数")
        constraints = [
            models.UniqueConstraint(fields=["path", "month"], name="stability_index_key")
        ]
        indexes = [models.Index(fields=["month", "level", "score"], name="stability_month_rank")]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}: {self.score:.1f}"


class WarningAlert(models.Model):
    """A spike: one category in one region above its own baseline in one month."""

    path = models.CharField(_("区划路径"), max_length=80)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    category = models.ForeignKey(
        "cases.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("分类")
    )
    observed = models.IntegerField(_("本月件数"))
    expected = models.FloatField(_("基线"))
    p_value = models.FloatField(_("显著性"))
    center = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            models.UniqueConstraint(fields=["path", "month", "category"], name="warning_alert_key")
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m} {self.category_id}: {self.observed}"
