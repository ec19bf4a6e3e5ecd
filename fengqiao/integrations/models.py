"""Other systems and what passes between them and a center: partners (110, 12345, courts,
信访, 舆情/民情 feeds, Open311 clients) with their keys and mappings, transfers in, risk
signals, webhook subscriptions and deliveries, import jobs and camera references."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case
from fengqiao.core import crypto
from fengqiao.integrations.choices import (
    DeliveryStatus,
    ImportStatus,
    MappingKind,
    PartnerKind,
    RowStatus,
    SignalLevel,
)
from fengqiao.org.models import Unit
from fengqiao.regions.models import Grid, Region


class Partner(models.Model):
    """Another system a center exchanges cases with. Its API key (Open311) is kept as a
    SHA-256 digest; its HMAC secret encrypted (it must be read to verify and sign)."""

    code = models.SlugField(_("系统代码"), max_length=32, unique=True)
    name = models.CharField(_("系统名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=16, choices=PartnerKind.choices)
    center = models.ForeignKey(Unit, verbose_name=_("受理中心"), on_delete=models.PROTECT)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, blank=True)
    key_digest = models.CharField(max_length=64, blank=True, db_index=True)
    secret_enc = models.TextField(blank=True)
    callback_url = models.URLField(_("状态回调地址"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("对接系统")
        verbose_name_plural = _("对接系统")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_enc)


class Mapping(models.Model):
    """A partner's own code for a category or a place, and ours."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="mappings")
    kind = models.CharField(_("类型"), max_length=16, choices=MappingKind.choices)
    external_code = models.CharField(_("对方代码"), max_length=64)
    internal_code = models.CharField(_("本系统代码"), max_length=64)

    class Meta:
        verbose_name = _("代码映射")
        verbose_name_plural = _("代码映射")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "external_code"], name="mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}:{self.kind}:{self.external_code}→{self.internal_code}"


class InboundTransfer(models.Model):
    """A case another system handed over (its order number → our case)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="transfers")
    external_id = models.CharField(_("对方编号"), max_length=128)
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    resent = models.PositiveIntegerField(_("重复推送次数"), default=0)

    class Meta:
        verbose_name = _("转入记录")
        verbose_name_plural = _("转入记录")
        constraints = [
            models.UniqueConstraint(fields=["partner", "external_id"], name="transfer_unique")
        ]
        indexes = [models.Index(fields=["case"], name="transfer_case")]

    def __str__(self) -> str:
        return f"{self.external_id}→{self.case_id}"


class RiskSignal(models.Model):
    """A 舆情/民情 item: a signal to watch, not a case."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="signals")
    external_id = models.CharField(_("对方编号"), max_length=128)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT)
    level = models.CharField(_("等级"), max_length=8, choices=SignalLevel.choices)
    url = models.URLField(_("原文链接"), blank=True, max_length=500)
    observed_at = models.DateTimeField(_("发现时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险信号")
        verbose_name_plural = _("风险信号")
        ordering = ["-observed_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "external_id"], name="signal_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """A webhook: case events of a unit's or a region's cases, posted signed to a URL."""

    name = models.CharField(_("名称"), max_length=80)
    url = models.URLField(_("接收地址"), max_length=500)
    secret_enc = models.TextField(blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), null=True, blank=True, on_delete=models.CASCADE
    )
    actions = models.JSONField(_("事件"), default=list, blank=True)  # [] = every action
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_enc)


class Delivery(models.Model):
    """One signed POST of one case event to a subscriber or a partner's callback."""

    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="callbacks"
    )
    url = models.URLField(max_length=500)
    event_id = models.BigIntegerField()
    case_code = models.CharField(_("案件编号"), max_length=32)
    action = models.CharField(_("事件"), max_length=20)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("状态"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_status = models.PositiveIntegerField(_("响应码"), null=True, blank=True)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="delivery_unique_sub"
            ),
            models.UniqueConstraint(fields=["partner", "event_id"], name="delivery_unique_cb"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.case_code}:{self.action}→{self.url}"


class ImportJob(models.Model):
    """One file of historical cases: checked row by row, then imported as one batch that
    resumes where it stopped."""

    center = models.ForeignKey(Unit, verbose_name=_("受理中心"), on_delete=models.PROTECT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT
    )
    membership_id = models.BigIntegerField(null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    total = models.PositiveIntegerField(_("行数"), default=0)
    valid = models.PositiveIntegerField(_("有效行"), default=0)
    imported = models.PositiveIntegerField(_("已导入"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def progress(self) -> int:
        return round(100 * (self.imported + self.failed) / self.valid) if self.valid else 100


class ImportRow(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("行号"))
    data = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=12, choices=RowStatus.choices)
    errors = models.JSONField(default=list, blank=True)
    case_code = models.CharField(_("案件编号"), max_length=32, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="importrow_unique")]
        indexes = [models.Index(fields=["job", "status", "number"], name="importrow_todo")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"


class ExportLog(models.Model):
    """Who exported which list, when and how many rows (personal data masked)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    query = models.CharField(_("筛选条件"), max_length=500, blank=True)
    fmt = models.CharField(_("格式"), max_length=8)
    rows = models.PositiveIntegerField(_("行数"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.fmt}:{self.rows}"


class Camera(models.Model):
    """A reference to a camera of 雪亮工程/综治视联网 (no video here)."""

    code = models.CharField(_("设备编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    center = models.ForeignKey(Unit, verbose_name=_("所属中心"), on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT)
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), null=True, blank=True, on_delete=models.SET_NULL
    )
    place = models.CharField(_("点位"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    platform_ref = models.CharField(_("平台标识"), max_length=120, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("视频点位")
        verbose_name_plural = _("视频点位")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CameraCitation(models.Model):
    """A case citing a camera and a time window."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="camera_citations")
    camera = models.ForeignKey(Camera, verbose_name=_("视频点位"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="citation_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.camera_id}"
