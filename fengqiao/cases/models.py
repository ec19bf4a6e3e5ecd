"""A case (案件/事项): one appeal, its parties, handling units, events, attachments and links."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import (
    OPEN_STATUSES,
    Action,
    AssignmentRole,
    AssignmentStatus,
    CaseKind,
    Channel,
    LinkKind,
    PartyKind,
    PartyRole,
    RiskLevel,
    Satisfaction,
    Status,
)
from fengqiao.core import crypto
from fengqiao.core.i18n import pick_name
from fengqiao.org.models import Unit
from fengqiao.regions.models import PATH_END, Grid, Region


class Category(models.Model):
    """A node of the editable category tree; leaves map to the unit types that handle them."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(
        _("英文名称"), max_length=100, blank=True, help_text=_("英文界面显示；不填则显示中文名称")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("事项类型"), max_length=16, choices=CaseKind.choices)
    unit_types = models.JSONField(_("常见承办单位类型"), default=list, blank=True)
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("事项分类")
        verbose_name_plural = _("事项分类")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        parent_path = self.parent.path if self.parent is not None else ""
        self.path = f"{parent_path}{self.code}/"
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return self.name if self.parent is None else f"{self.parent.name} / {self.name}"

    @property
    def display_name(self) -> str:
        """The name in the active language (English when English is active and set)."""
        return pick_name(self.name, self.name_en)

    @property
    def display_full_name(self) -> str:
        if self.parent is None:
            return self.display_name
        return f"{self.parent.display_name} / {self.display_name}"


class CaseQuerySet(models.QuerySet):
    def in_region(self, region: Region) -> CaseQuerySet:
        return self.filter(region_path__gte=region.path, region_path__lt=region.path + PATH_END)

    def under_center_path(self, path: str) -> CaseQuerySet:
        return self.filter(scope_path__gte=path, scope_path__lt=path + PATH_END)


class Case(models.Model):
    code = models.CharField(_("案件编号"), max_length=20, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("诉求内容"))
    category = models.ForeignKey(
        Category, verbose_name=_("分类"), null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField(
        _("事项类型"), max_length=16, choices=CaseKind.choices, default=CaseKind.DISPUTE
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("发生地"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # Meta's case_region: a plain index, no LIKE twin for the text key
    )
    region_path = models.CharField(max_length=80, editable=False)
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("详细地址"), max_length=255, blank=True)
    address_key = models.CharField(max_length=64, blank=True, editable=False)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    people_count = models.PositiveIntegerField(_("涉及人数"), default=1)
    # The level's code in the configured risk scheme (blue/yellow/red by default).
    risk_level = models.CharField(_("风险等级"), max_length=16, default=RiskLevel.BLUE)
    risk_score = models.IntegerField(_("风险分值"), default=0)
    risk_factors = models.JSONField(_("风险因素"), default=list, blank=True)
    tier_level = models.PositiveSmallIntegerField(_("处置层级"), null=True, blank=True)
    center = models.ForeignKey(
        Unit,
        verbose_name=_("责任中心"),
        on_delete=models.PROTECT,
        related_name="cases_in_charge",
    )
    scope_path = models.CharField(max_length=80, editable=False)
    first_unit = models.ForeignKey(
        Unit,
        verbose_name=_("首接单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_first_received",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首接责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_led",
        db_index=False,  # case_lead_status (lead_unit, status) serves it
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包案领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    sign_deadline = models.DateTimeField(_("签收时限"), null=True, blank=True)
    deadline = models.DateTimeField(_("办理时限"), null=True, blank=True)
    is_overdue = models.BooleanField(_("已超期"), default=False)
    result = models.TextField(_("办理结果"), blank=True)
    public_result = models.TextField(_("答复群众"), blank=True)
    settled_level = models.PositiveSmallIntegerField(_("化解层级"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    registered_at = models.DateTimeField(_("受理时间"), db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    dispatched_at = models.DateTimeField(_("分流时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["scope_path", "status"], name="case_scope_status"),
            models.Index(fields=["scope_path", "registered_at"], name="case_scope_time"),
            models.Index(fields=["region_path"], name="case_region_path"),
            models.Index(fields=["lead_unit", "status"], name="case_lead_status"),
            models.Index(fields=["status", "deadline"], name="case_status_deadline"),
            # "Overdue cases in handling", newest first, over a province (bench: province_list).
            models.Index(
                fields=["status", "is_overdue", "-registered_at"], name="case_status_overdue_time"
            ),
            # Exact-match keys get plain indexes (a CharField's db_index adds a second,
            # LIKE-ready index on PostgreSQL that no query here uses and every insert pays).
            models.Index(fields=["region"], name="case_region"),
            models.Index(fields=["address_key"], name="case_address_key"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:

        return self.status in OPEN_STATUSES

    def hold_related(self, **rows: list) -> None:
        """Keep rows of reverse relations in hand, as ``prefetch_related`` would: after
        ``case.hold_related(parties=[...])``, ``case.parties.all()`` answers without a query
        (a case just written with its parties, an answer built from what is in hand)."""
        cache = self.__dict__.setdefault("_prefetched_objects_cache", {})
        for name, values in rows.items():
            # A bare queryset of the related model holds them (the manager's own, filtered
            # to this case, costs a query build that is never run).
            related = self._meta.get_field(name).related_model
            qs: models.QuerySet[Any] = models.QuerySet(model=related)
            qs._result_cache = list(values)
            qs._prefetch_done = True  # type: ignore[attr-defined]  # private, as prefetch sets it
            cache[name] = qs

    @property
    def applicant(self) -> Party | None:
        for party in self.parties.all():
            if party.role == PartyRole.APPLICANT:
                return party
        return None


class Party(models.Model):
    """A party to a case. Phone and ID number are encrypted, with keyed hashes for search."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("身份"), max_length=16, choices=PartyRole.choices)
    kind = models.CharField(
        _("类型"), max_length=16, choices=PartyKind.choices, default=PartyKind.PERSON
    )
    name = models.CharField(_("姓名/名称"), max_length=120)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    address = models.CharField(_("住址"), max_length=255, blank=True)
    is_elderly = models.BooleanField(_("老年人"), default=False)
    is_minor = models.BooleanField(_("未成年人"), default=False)
    is_disabled = models.BooleanField(_("残疾人"), default=False)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case_id", "id"]
        # Text search matches a party's exact name (search_cases); without it every search
        # reads the whole parties table (bench: text_search).
        indexes = [
            models.Index(fields=["name"], name="party_name"),
            models.Index(fields=["phone_hash"], name="party_phone_hash"),
            models.Index(fields=["id_number_hash"], name="party_id_number_hash"),
        ]

    def __str__(self) -> str:
        return crypto.mask_name(self.name)

    # set_phone/set_id_number remember the plain value beside the token they wrote, so that
    # the masks shown right after (registration's answer) need no decryption.
    def set_phone(self, phone: str) -> None:
        normalized = crypto.normalize_phone(phone)
        self.phone_encrypted = crypto.encrypt(normalized)
        self.phone_hash = crypto.phone_hash(normalized)
        self.phone_last4 = normalized[-4:] if normalized else ""
        self._plain_phone = (self.phone_encrypted, normalized)

    def set_id_number(self, id_number: str) -> None:
        normalized = crypto.normalize_id_number(id_number)
        self.id_number_encrypted = crypto.encrypt(normalized)
        self.id_number_hash = crypto.id_number_hash(normalized)
        self._plain_id_number = (self.id_number_encrypted, normalized)

    def _plain(self, attr: str, token: str) -> str:
        known = self.__dict__.get(attr)
        if known is not None and known[0] == token:
            return known[1]
        return crypto.decrypt(token)

    @property
    def phone(self) -> str:
        return self._plain("_plain_phone", self.phone_encrypted)

    @property
    def id_number(self) -> str:
        return self._plain("_plain_id_number", self.id_number_encrypted)

    @property
    def masked_name(self) -> str:
        return crypto.mask_name(self.name) if self.kind == PartyKind.PERSON else self.name

    @property
    def masked_phone(self) -> str:
        return crypto.mask_phone(self.phone) if self.phone_encrypted else ""

    @property
    def masked_id_number(self) -> str:
        return crypto.mask_id_number(self.id_number) if self.id_number_encrypted else ""


class CaseAssignment(models.Model):
    """A unit's part in a case: the lead unit or one co-handling unit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("主协办"), max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PENDING,
    )
    part = models.CharField(_("承担事项"), max_length=255, blank=True)
    report = models.TextField(_("办理反馈"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    assigned_at = models.DateTimeField(_("派单时间"))
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    # The case's status, copied by cases.services.transition() (the only writer of a case's
    # status), so that a unit's current work is found from its assignments alone, without
    # visiting every case the unit ever had (ten million cases: 200 ms -> a few ms).
    case_status = models.CharField(_("案件状态"), max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["case_id", "role", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status"),
            models.Index(fields=["unit", "case_status"], name="assignment_unit_case_status"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_role_display()})"


class CaseEvent(models.Model):
    """One append-only entry of a case's history, chained by SHA-256 to the one before it."""

    # No index of its own: event_unique_seq (case, seq) serves every lookup by case.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", db_index=False)
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL
    )
    unit_label = models.CharField(_("单位"), max_length=120, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("case events are append-only")

    def payload(self, case_code: str) -> dict:
        """The fields the hash covers, in a canonical form."""
        return {
            "case": case_code,
            "seq": self.seq,
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "unit": self.unit_id,
            "note": self.note,
            "data": self.data,
            # In UTC, as the database gives it back, whatever zone the writer passed.
            "at": self.created_at.astimezone(dt.UTC).isoformat(),
            "prev": self.prev_hash,
        }

    def compute_hash(self, case_code: str) -> str:
        canonical = json.dumps(
            self.payload(case_code), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    is_public = models.BooleanField(_("群众提交"), default=False)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class CaseLink(models.Model):
    """A link between two related cases (stored once per direction)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("关联类型"), max_length=16, choices=LinkKind.choices)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    score = models.FloatField(_("相似度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("关联案件")
        verbose_name_plural = _("关联案件")
        constraints = [
            models.UniqueConstraint(fields=["case", "other", "kind"], name="link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.other_id} ({self.kind})"


class CodeSequence(models.Model):
    """The last sequence number used for case codes per county and day."""

    county_code = models.CharField(max_length=6)
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(fields=["county_code", "day"], name="code_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_code} {self.day}: {self.last_value}"


class EventCursor(models.Model):
    """How far the case-event handlers have got through one case's events (queued delivery,
    ``fengqiao.cases.hooks``): the events after ``seq`` are still to be handled."""

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("事件处理进度")
        verbose_name_plural = _("事件处理进度")

    def __str__(self) -> str:
        return f"{self.case_id}@{self.seq}"
