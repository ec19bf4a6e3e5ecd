"""Citizen participation: residents (verified phones), clue reports with points, online
deliberation and offline meetings, notices, 普法 activities, 平安创建 campaigns, surveys.

Phones are kept encrypted with a keyed hash for exact look-up and a mask for display
(:mod:`fengqiao.core.crypto`), as the cases app keeps parties' phones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import crypto
from fengqiao.participation.choices import (
    ActivityKind,
    CandidateResult,
    ClueKind,
    ClueStatus,
    MeetingKind,
    NoticeScope,
    TitleKind,
    TopicStatus,
    VoteChoice,
)
from fengqiao.regions.models import Grid, Region

USER = settings.AUTH_USER_MODEL


# --- residents -----------------------------------------------------------------------------


class Citizen(models.Model):
    """A citizen who verified a phone by SMS code; no password."""

    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone_encrypted = models.TextField(editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=20)
    nickname = models.CharField(_("称呼"), max_length=32, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在村（社区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citizens",
    )
    region_path = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("所在网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizens",
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近登录"), null=True, blank=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")

    def __str__(self) -> str:
        return self.nickname or self.phone_masked

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def display_name(self) -> str:
        return crypto.mask_name(self.nickname) if self.nickname else self.phone_masked


class PhoneCode(models.Model):
    """One SMS code sent to a phone: expiring, single-use, a few attempts."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone_hash", "created_at"], name="phonecode_recent")]

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]}@{self.created_at:%Y-%m-%d %H:%M}"


# --- points --------------------------------------------------------------------------------


class PointRule(models.Model):
    """How many 平安积分 an event earns; an admin edits these."""

    code = models.CharField(_("规则编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    points = models.IntegerField(_("积分"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Reward(models.Model):
    """A reward redeemed at a center (a towel, a voucher …)."""

    center = models.ForeignKey("org.Unit", verbose_name=_("兑换中心"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=64)
    cost = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("兑换奖品")
        verbose_name_plural = _("兑换奖品")
        ordering = ["cost", "id"]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    resident = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="redemptions")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT)
    points = models.PositiveIntegerField(_("扣减积分"))
    handled_by = models.ForeignKey(USER, verbose_name=_("经办人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("兑换时间"))

    class Meta:
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")

    def __str__(self) -> str:
        return f"{self.reward_id}:{self.resident_id}"


class PointEntry(models.Model):
    """One line of a resident's points ledger: append-only, each with its reason.

    ``key`` makes each award or deduction happen once (``clue:12``, ``redeem:7``).
    """

    resident = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="points")
    delta = models.IntegerField(_("积分变动"))
    balance = models.IntegerField(_("变动后余额"))
    reason = models.CharField(_("原因"), max_length=200)
    rule_code = models.CharField(_("规则"), max_length=32, blank=True)
    key = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        USER, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["resident", "key"], name="pointentry_once")]

    def __str__(self) -> str:
        return f"{self.delta:+d} {self.reason}"


# --- clues ---------------------------------------------------------------------------------


class Clue(models.Model):
    """A clue or hazard a resident reported, with a photo and a place."""

    kind = models.CharField(_("类型"), max_length=8, choices=ClueKind.choices)
    resident = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.PROTECT, related_name="clues"
    )
    # Who sent it even when anonymous: only for the per-phone limit, never shown.
    sender_hash = models.CharField(max_length=64, db_index=True, editable=False)
    anonymous = models.BooleanField(_("匿名"), default=False)
    text = models.TextField(_("内容"))
    photo = models.FileField(_("照片"), upload_to="participation/clues/%Y/%m/", blank=True)
    photo_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ClueStatus.choices, default=ClueStatus.PENDING
    )
    flags = models.JSONField(_("风险提示"), default=list, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    points = models.IntegerField(_("获得积分"), default=0)
    created_at = models.DateTimeField(_("提交时间"), db_index=True)

    class Meta:
        verbose_name = _("群众线索")
        verbose_name_plural = _("群众线索")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region_path", "status"], name="clue_scope"),
            models.Index(fields=["status", "created_at"], name="clue_queue"),
        ]

    def __str__(self) -> str:
        return self.text[:30]


# --- deliberation --------------------------------------------------------------------------


class Topic(models.Model):
    """A topic of a village's 网上议事厅: opened by the village center, discussed, voted,
    its outcome published."""

    center = models.ForeignKey("org.Unit", verbose_name=_("发起中心"), on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    title = models.CharField(_("议题"), max_length=120)
    body = models.TextField(_("议题说明"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.OPEN
    )
    outcome = models.TextField(_("议事结果"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发起时间"))
    voting_at = models.DateTimeField(_("开始表决"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    resident = models.ForeignKey(Citizen, on_delete=models.PROTECT)
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(_("时间"))
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("议事意见")
        verbose_name_plural = _("议事意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Vote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    resident = models.ForeignKey(Citizen, on_delete=models.PROTECT)
    choice = models.CharField(_("表决"), max_length=8, choices=VoteChoice.choices)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        constraints = [models.UniqueConstraint(fields=["topic", "resident"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.choice}"


class ModerationLog(models.Model):
    """Every moderation step (hide, show, status change) with its reason: append-only."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="log")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE)
    action = models.CharField(_("操作"), max_length=16)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("议事管理记录")
        verbose_name_plural = _("议事管理记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.reason}"


class Meeting(models.Model):
    """An offline 逢四说事 / 民意恳谈 / 联席会议 with attendance and outcome."""

    center = models.ForeignKey("org.Unit", verbose_name=_("组织中心"), on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    kind = models.CharField(_("形式"), max_length=8, choices=MeetingKind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    subject = models.CharField(_("议题"), max_length=200)
    attendance = models.PositiveIntegerField(_("参加人数"))
    attendees = models.TextField(_("参加人员"), blank=True)
    outcome = models.TextField(_("结果"))
    topic = models.ForeignKey(
        Topic, verbose_name=_("关联议题"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("说事恳谈记录")
        verbose_name_plural = _("说事恳谈记录")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.subject


# --- notices -------------------------------------------------------------------------------


class Notice(models.Model):
    center = models.ForeignKey("org.Unit", verbose_name=_("发布中心"), on_delete=models.PROTECT)
    scope = models.CharField(_("范围"), max_length=8, choices=NoticeScope.choices)
    region = models.ForeignKey(Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"))
    by_sms = models.BooleanField(_("同时发短信"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"))
    recipients = models.PositiveIntegerField(_("送达人数"), default=0)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeDelivery(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    resident = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="notices")
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "resident"], name="notice_delivered_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.resident_id}"


# --- 普法 and 平安创建 -----------------------------------------------------------------------


class LegalActivity(models.Model):
    """One 法治宣传 activity."""

    center = models.ForeignKey("org.Unit", verbose_name=_("组织中心"), on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    kind = models.CharField(_("形式"), max_length=8, choices=ActivityKind.choices)
    title = models.CharField(_("主题"), max_length=120)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    audience = models.PositiveIntegerField(_("受众人数"))
    materials = models.PositiveIntegerField(_("发放资料（份）"), default=0)
    materials_note = models.CharField(_("资料说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("普法活动")
        verbose_name_plural = _("普法活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SafetyCampaign(models.Model):
    """A 平安创建 campaign for one title (平安村、平安单位、平安家庭…) with its criteria."""

    center = models.ForeignKey("org.Unit", verbose_name=_("组织中心"), on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("范围"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    title_kind = models.CharField(_("创建称号"), max_length=8, choices=TitleKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    criteria = models.TextField(_("创建标准"))
    pass_score = models.PositiveSmallIntegerField(_("达标分数"), default=80)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("平安创建")
        verbose_name_plural = _("平安创建")
        ordering = ["-year", "title_kind"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_title_kind_display()}"


class CampaignCandidate(models.Model):
    campaign = models.ForeignKey(
        SafetyCampaign, on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("参评对象"), max_length=120)
    score = models.PositiveSmallIntegerField(_("评定分数"), null=True, blank=True)
    result = models.CharField(
        _("评定结果"),
        max_length=12,
        choices=CandidateResult.choices,
        default=CandidateResult.PENDING,
    )
    note = models.CharField(_("评定意见"), max_length=200, blank=True)
    evaluated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("参评对象")
        verbose_name_plural = _("参评对象")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="candidate_once")]

    def __str__(self) -> str:
        return self.name


class Survey(models.Model):
    """A 知晓率 survey: questions a resident answers 知道 / 不知道."""

    center = models.ForeignKey("org.Unit", verbose_name=_("组织中心"), on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("范围"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    title = models.CharField(_("问卷"), max_length=120)
    questions = models.JSONField(_("题目"), default=list)
    is_open = models.BooleanField(_("开放作答"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("知晓率调查")
        verbose_name_plural = _("知晓率调查")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    resident = models.ForeignKey(Citizen, on_delete=models.PROTECT)
    answers = models.JSONField(default=list)  # one bool per question: knows it
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "resident"], name="survey_answered_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.resident_id}"
