"""Mediation and legal services (「一站式受理、一揽子调处」): the directory of mediators and
legal experts, the citizen's choice (点单), rooms, sessions, agreements (调解协议书) with
signatures and judicial confirmation, combined service packages and transfers (对接)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case, Category, Party
from fengqiao.core import crypto
from fengqiao.mediation.choices import (
    AgreementStatus,
    ConfirmationStatus,
    OrganizationKind,
    Outcome,
    PairingRole,
    ParticipantRole,
    ProviderKind,
    Requester,
    RequestStatus,
    Residency,
    ServiceKind,
    ServiceStatus,
    SessionMode,
    SessionStatus,
    SignatureMethod,
    TransferKind,
    TransferStatus,
)
from fengqiao.org.models import Unit
from fengqiao.regions.models import Region

# --- the directory ---------------------------------------------------------------------


class Organization(models.Model):
    """A mediation organization a center's mediators belong to (人民调解委员会, 行业性专业性
    调委会, 个人调解工作室) or a law firm that lends legal experts."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=32, choices=OrganizationKind.choices)
    center = models.ForeignKey(
        Unit, verbose_name=_("所属综治中心"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("对应单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("在系统中作为承办单位的调委会"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("调解组织")
        verbose_name_plural = _("调解组织")
        ordering = ["center_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="mediation_org_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    """One entry of a center's directory: a mediator or a legal expert the citizen may pick."""

    kind = models.CharField(
        _("类别"), max_length=16, choices=ProviderKind.choices, default=ProviderKind.MEDIATOR
    )
    name = models.CharField(_("姓名"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator_profiles",
    )
    center = models.ForeignKey(
        Unit, verbose_name=_("所在综治中心"), on_delete=models.PROTECT, related_name="+"
    )
    center_path = models.CharField(max_length=80, editable=False, db_index=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("调解组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediators",
    )
    title = models.CharField(_("职务/职称"), max_length=64, blank=True)
    bio = models.TextField(_("个人简介"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="mediators/", blank=True)
    specialties = models.ManyToManyField(
        Category, verbose_name=_("擅长领域"), blank=True, related_name="+"
    )
    # "普通话、云梦话": plain text, so that a dialect is found with one LIKE on any database.
    languages = models.CharField(_("语言/方言"), max_length=160, blank=True)
    residency = models.CharField(
        _("入驻方式"), max_length=16, choices=Residency.choices, default=Residency.RESIDENT
    )
    schedule_note = models.CharField(_("坐班安排"), max_length=200, blank=True)
    is_chief = models.BooleanField(_("首席"), default=False)
    max_open_cases = models.PositiveSmallIntegerField(_("同时承办上限"), default=8)
    is_published = models.BooleanField(_("在门户公开"), default=True)
    is_active = models.BooleanField(_("在册"), default=True)
    # Identity, to refuse a mediator who is a party (keyed hashes; the values encrypted).
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解员/法律专家")
        verbose_name_plural = _("调解员/法律专家")
        ordering = ["center_path", "-is_chief", "name", "id"]
        indexes = [models.Index(fields=["is_published", "center_path"], name="mediator_public")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.center_path = self.center.region_path
        super().save(*args, **kwargs)

    def set_phone(self, phone: str) -> None:
        normalized = crypto.normalize_phone(phone)
        self.phone_encrypted = crypto.encrypt(normalized) if normalized else ""
        self.phone_hash = crypto.phone_hash(normalized) if normalized else ""

    def set_id_number(self, id_number: str) -> None:
        normalized = crypto.normalize_id_number(id_number)
        self.id_number_encrypted = crypto.encrypt(normalized) if normalized else ""
        self.id_number_hash = crypto.id_number_hash(normalized) if normalized else ""

    @property
    def language_list(self) -> list[str]:
        return [part for part in self.languages.split("、") if part]

    @property
    def masked_phone(self) -> str:
        return (
            crypto.mask_phone(crypto.decrypt(self.phone_encrypted)) if self.phone_encrypted else ""
        )


class Relative(models.Model):
    """A near relative a mediator declared (回避): they may not mediate that person's case."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField(_("姓名"), max_length=64)
    relation = models.CharField(_("关系"), max_length=32)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("申报亲属")
        verbose_name_plural = _("申报亲属")

    def __str__(self) -> str:
        return f"{crypto.mask_name(self.name)} ({self.relation})"


class Availability(models.Model):
    """A weekly slot when the mediator is at the center (the availability calendar)."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("星期"))  # 0 = Monday
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    class Meta:
        verbose_name = _("值班时间")
        verbose_name_plural = _("值班时间")
        ordering = ["mediator_id", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start}-{self.end}"


class Pairing(models.Model):
    """A legal expert paired with a village (法治副村长 / 村法律顾问)."""

    expert = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="pairings")
    village = models.ForeignKey(
        Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("职务"), max_length=16, choices=PairingRole.choices)
    since = models.DateField(_("任职日期"))

    class Meta:
        verbose_name = _("结对村（社区）")
        verbose_name_plural = _("结对村（社区）")
        ordering = ["village_id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "role"], name="mediation_pairing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.role}"


# --- the citizen's choice --------------------------------------------------------------


class MediatorRequest(models.Model):
    """点单: a citizen (or the window on their behalf) asks for one mediator or expert; the
    center confirms, proposes another, or the request is refused for a conflict of interest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediator_requests")
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("所点调解员"), on_delete=models.PROTECT, related_name="requests"
    )
    requested_by = models.CharField(_("点单方式"), max_length=16, choices=Requester.choices)
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    proposed = models.ForeignKey(
        Mediator,
        verbose_name=_("中心推荐"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("点单时间"))

    class Meta:
        verbose_name = _("点单")
        verbose_name_plural = _("点单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="mediator_request_status")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.mediator_id} ({self.status})"

    @property
    def assigned(self) -> Mediator | None:
        """The mediator the case got from this request, once decided."""
        if self.status == RequestStatus.CONFIRMED:
            return self.mediator
        if self.status == RequestStatus.PROPOSED:
            return self.proposed
        return None


# --- rooms and sessions ----------------------------------------------------------------


class Room(models.Model):
    """A mediation room (调解室) of a center."""

    center = models.ForeignKey(Unit, verbose_name=_("综治中心"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=64)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"), default=8)
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("调解室")
        verbose_name_plural = _("调解室")
        ordering = ["center_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="mediation_room_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """A room held for a time. Overlaps are refused under the room's row lock."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_cancelled = models.BooleanField(_("已取消"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解室预约")
        verbose_name_plural = _("调解室预约")
        ordering = ["room_id", "starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class Session(models.Model):
    """One round of mediation on a case (反复调: several rounds until an outcome)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mediation_sessions")
    round = models.PositiveSmallIntegerField(_("轮次"))
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("主持调解员"), on_delete=models.PROTECT, related_name="sessions"
    )
    # Where and for whom, kept as they were (statistics by organization and level).
    center = models.ForeignKey(Unit, verbose_name=_("调解中心"), on_delete=models.PROTECT)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(_("方式"), max_length=16, choices=SessionMode.choices)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="session"
    )
    online_link = models.CharField(_("线上会议链接"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("调解笔录"), blank=True)
    failure_reason = models.TextField(_("未达成原因"), blank=True)
    next_unit = models.ForeignKey(
        Unit,
        verbose_name=_("转办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("调解失败后建议转交的承办单位或法院"),
    )
    # The date the mediation began (the first round's start), for its duration.
    opened_at = models.DateTimeField(_("调解开始"))
    held_at = models.DateTimeField(_("调解时间"), null=True, blank=True)
    # From the mediation's first round to this one, set when a final outcome is recorded
    # (statistics sum it in the database: no date arithmetic, the same on every backend).
    duration_seconds = models.PositiveIntegerField(_("历时（秒）"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("安排时间"))

    class Meta:
        verbose_name = _("调解会")
        verbose_name_plural = _("调解会")
        ordering = ["case_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="mediation_session_round")
        ]
        indexes = [
            models.Index(fields=["mediator", "starts_at"], name="session_mediator_time"),
            models.Index(fields=["held_at"], name="session_held_at"),
            models.Index(fields=["status", "mediator"], name="session_status_mediator"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.round}"

    @property
    def is_final(self) -> bool:
        return self.outcome in (Outcome.SUCCESS, Outcome.PARTIAL, Outcome.FAILED)


class Participant(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("身份"), max_length=16, choices=ParticipantRole.choices)
    name = models.CharField(_("姓名"), max_length=64)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL)
    mediator = models.ForeignKey(Mediator, null=True, blank=True, on_delete=models.SET_NULL)
    attended = models.BooleanField(_("到场"), default=True)

    class Meta:
        verbose_name = _("参加人")
        verbose_name_plural = _("参加人")
        ordering = ["session_id", "id"]

    def __str__(self) -> str:
        return crypto.mask_name(self.name)


# --- agreements ------------------------------------------------------------------------


class Agreement(models.Model):
    """调解协议书: the agreed terms of a successful (or partly successful) session."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mediation_agreements")
    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="agreement")
    number = models.CharField(_("协议书编号"), max_length=40, unique=True)
    verification_code = models.CharField(_("验证码"), max_length=16, unique=True)
    facts = models.TextField(_("纠纷主要事实、争议事项"))
    terms = models.TextField(_("协议内容"))
    performance = models.CharField(_("履行方式、时限"), max_length=500, blank=True)
    is_partial = models.BooleanField(_("部分达成"), default=False)
    parties = models.JSONField(_("当事人"), default=list)  # [{"role", "name", "id_masked"}]
    digest = models.CharField(_("内容摘要"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("制作时间"))
    signed_at = models.DateTimeField(_("生效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解协议书")
        verbose_name_plural = _("调解协议书")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("身份"), max_length=16, choices=ParticipantRole.choices)
    name = models.CharField(_("签字人"), max_length=64)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL)
    method = models.CharField(_("方式"), max_length=16, choices=SignatureMethod.choices)
    image = models.FileField(_("签名"), upload_to="mediation/signatures/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(_("签字时间"))

    class Meta:
        verbose_name = _("签字")
        verbose_name_plural = _("签字")
        ordering = ["agreement_id", "id"]

    def __str__(self) -> str:
        return crypto.mask_name(self.name)


class JudicialConfirmation(models.Model):
    """司法确认: the agreement referred to the court, and the court's ruling."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="confirmation"
    )
    court = models.ForeignKey(Unit, verbose_name=_("人民法院"), on_delete=models.PROTECT)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.REFERRED,
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(_("申请时间"))
    ruling_number = models.CharField(_("裁定书文号"), max_length=64, blank=True)
    result_note = models.TextField(_("裁定结果"), blank=True)
    decided_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")

    def __str__(self) -> str:
        return f"{self.agreement} → {self.court}"


# --- combined service packages ---------------------------------------------------------


class Package(models.Model):
    """组合式套餐: the services chosen for one case, each a tracked sub-task."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="service_package")
    preset = models.CharField(_("套餐"), max_length=32, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("选定时间"))

    class Meta:
        verbose_name = _("组合式服务套餐")
        verbose_name_plural = _("组合式服务套餐")

    def __str__(self) -> str:
        return f"{self.case_id} {self.preset}"


class PackageService(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("服务"), max_length=16, choices=ServiceKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT)
    due_date = models.DateField(_("办理期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.PENDING
    )
    outcome = models.TextField(_("办理结果"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("套餐服务")
        verbose_name_plural = _("套餐服务")
        ordering = ["package_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "kind"], name="package_service_unique")
        ]
        indexes = [models.Index(fields=["unit", "status"], name="package_service_unit")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.unit_id}"


# --- transfers (对接) -------------------------------------------------------------------


class Transfer(models.Model):
    """诉调/公调/检调/访调对接: a sending unit hands a case to a receiving unit for mediation
    (or back), the receiver accepts or returns it, and the sender sees the outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mediation_transfers")
    kind = models.CharField(_("对接类型"), max_length=16, choices=TransferKind.choices)
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("移送单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("移送说明"))
    status = models.CharField(
        _("状态"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("移送时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("接收/退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    outcome = models.CharField(_("调解结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    concluded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("对接移送")
        verbose_name_plural = _("对接移送")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_unit", "status"], name="transfer_to_status"),
            models.Index(fields=["from_unit", "sent_at"], name="transfer_from_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_unit_id}→{self.to_unit_id}"
