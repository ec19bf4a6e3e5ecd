"""What grid workers record in the field: reports (上报), daily work logs, patrols."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.grid.choices import LocationCheck, ReportCategory, ReportOutcome
from fengqiao.regions.models import Grid


class FieldReport(models.Model):
    """A field event reported by a grid worker from the phone page.

    It becomes a case (channel 网格员上报) or is resolved on the spot (网格事网格办) and kept
    here as such. ``client_key`` is the idempotency key the phone generated when the report
    was written: a report sent again after a lost answer is found by it, never stored twice.
    """

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="field_reports"
    )
    region_path = models.CharField(max_length=80, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        on_delete=models.PROTECT,
        related_name="field_reports",
    )
    client_key = models.CharField(_("幂等键"), max_length=64)
    category = models.CharField(_("类别"), max_length=16, choices=ReportCategory.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("情况描述"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_check = models.CharField(
        _("定位核验"), max_length=16, choices=LocationCheck.choices, default=LocationCheck.NONE
    )
    outcome = models.CharField(_("处置方式"), max_length=16, choices=ReportOutcome.choices)
    resolution = models.TextField(_("处置情况"), blank=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_report",
    )
    observed_at = models.DateTimeField(_("发现时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网格上报")
        verbose_name_plural = _("网格上报")
        ordering = ["-observed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "client_key"], name="fieldreport_key")
        ]
        indexes = [
            models.Index(fields=["grid", "-observed_at"], name="fieldreport_grid_time"),
            models.Index(fields=["region_path", "-observed_at"], name="fieldreport_path_time"),
        ]

    def __str__(self) -> str:
        return self.title


class FieldReportPhoto(models.Model):
    report = models.ForeignKey(
        FieldReport, verbose_name=_("上报"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("照片"), upload_to="grid/reports/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("上报照片")
        verbose_name_plural = _("上报照片")

    def __str__(self) -> str:
        return self.file.name


class WorkLog(models.Model):
    """A grid worker's daily work log (民情日志): one per worker and day, edited in place."""

    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), on_delete=models.PROTECT
    )
    day = models.DateField(_("日期"))
    content = models.TextField(_("工作内容"))
    households_visited = models.PositiveIntegerField(_("走访户数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "grid", "day"], name="worklog_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.worker_id}"


class Patrol(models.Model):
    """A patrol (巡逻): when, along which route (a GeoJSON LineString), what was found."""

    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), on_delete=models.PROTECT
    )
    client_key = models.CharField(_("幂等键"), max_length=64)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    route = models.JSONField(_("巡逻路线（GeoJSON）"), null=True, blank=True)
    distance_km = models.FloatField(_("里程（公里）"), default=0)
    findings = models.TextField(_("发现情况"), blank=True)

    class Meta:
        verbose_name = _("巡逻记录")
        verbose_name_plural = _("巡逻记录")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["worker", "client_key"], name="patrol_key")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.worker_id}"
