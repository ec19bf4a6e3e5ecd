"""Routing configuration and results: classifier versions, keyword rules, dispatcher
corrections, the risk scheme with its words and weights, per-case suggestions and the
text-similarity index for related cases."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case, Category
from fengqiao.org.models import Unit
from fengqiao.regions.models import Level
from fengqiao.routing.choices import RiskFactor, RiskWordGroup, SuggestionSource

_WORD_SPLIT = re.compile(r"[\s,，、;；|/]+")


def split_words(text: str) -> list[str]:
    """Keywords as admins type them: separated by spaces, commas, 、 or new lines."""
    seen: list[str] = []
    for word in _WORD_SPLIT.split(text or ""):
        word = word.strip()
        if word and word not in seen:
            seen.append(word)
    return seen


class ClassifierVersion(models.Model):
    """One trained text classifier. At most one is active; registration uses it."""

    version = models.PositiveIntegerField(_("版本号"), unique=True)
    blob = models.BinaryField(_("模型数据"), editable=False)
    labels = models.JSONField(_("分类标签"), default=list, blank=True)
    metrics = models.JSONField(_("评估指标"), default=dict, blank=True)
    n_samples = models.PositiveIntegerField(_("训练样本数"), default=0)
    trained_at = models.DateTimeField(_("训练时间"))
    is_active = models.BooleanField(_("启用"), default=False)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("分类模型版本")
        verbose_name_plural = _("分类模型版本")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_classifier"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class KeywordRule(models.Model):
    """Words that point to a category. Rules are tried before the statistical model."""

    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.CASCADE, related_name="keyword_rules"
    )
    keywords = models.TextField(
        _("关键词"), help_text=_("多个关键词用空格、逗号、顿号或换行分隔；标题中出现时加倍计分")
    )
    weight = models.FloatField(_("权重"), default=1.0)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("分类关键词规则")
        verbose_name_plural = _("分类关键词规则")
        ordering = ["category__path", "id"]

    def __str__(self) -> str:
        return f"{self.category}: {self.keywords[:40]}"

    @property
    def keyword_list(self) -> list[str]:
        return split_words(self.keywords)


class Correction(models.Model):
    """A dispatcher's correction of a case's category; the next training run learns it."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+"
    )
    proposed = models.ForeignKey(
        Category,
        verbose_name=_("原分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected = models.ForeignKey(
        Category, verbose_name=_("更正为"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("更正时间"), db_index=True)

    class Meta:
        verbose_name = _("分类更正")
        verbose_name_plural = _("分类更正")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.proposed} → {self.corrected}"


class RiskScheme(models.Model):
    """A set of risk levels (蓝黄红, 红橙黄蓝, 红黄绿…). Exactly one is in use."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    is_active = models.BooleanField(_("当前使用"), default=False)

    class Meta:
        verbose_name = _("风险分级方案")
        verbose_name_plural = _("风险分级方案")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_risk_scheme"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RiskLevel(models.Model):
    """One level of a scheme: from which score it applies, which tier handles it and the
    usual time limit. The level with the highest minimum score is the top (red) level."""

    scheme = models.ForeignKey(
        RiskScheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField(_("编码"), max_length=16)
    label = models.CharField(_("名称"), max_length=16)
    colour = models.CharField(_("颜色"), max_length=7, help_text=_("如 #d93025"))
    min_score = models.IntegerField(_("最低分值"))
    tier_level = models.PositiveSmallIntegerField(
        _("处置层级"), choices=Level.choices, help_text=_("由哪一级综治中心牵头处置")
    )
    resolve_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=15)
    needs_leader = models.BooleanField(_("需包案领导"), default=False)

    class Meta:
        verbose_name = _("风险等级")
        verbose_name_plural = _("风险等级")
        ordering = ["scheme_id", "min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="risk_level_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.label}"


class RiskWord(models.Model):
    """A word of threat, violence, despair or collective action, with the score it adds."""

    word = models.CharField(_("词语"), max_length=32, unique=True)
    group = models.CharField(_("类别"), max_length=16, choices=RiskWordGroup.choices)
    weight = models.IntegerField(_("分值"), default=20)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("风险词")
        verbose_name_plural = _("风险词")
        ordering = ["group", "word"]

    def __str__(self) -> str:
        return self.word


class RiskWeight(models.Model):
    """The score one risk factor adds, and its threshold where it has one."""

    code = models.CharField(_("因素"), max_length=32, unique=True, choices=RiskFactor.choices)
    weight = models.IntegerField(_("分值"))
    threshold = models.IntegerField(
        _("阈值"), null=True, blank=True, help_text=_("人数下限、天数或次数上限，视因素而定")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("风险因素权重")
        verbose_name_plural = _("风险因素权重")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class CategoryRisk(models.Model):
    """The base risk of a category (a node applies to its whole subtree)."""

    category = models.OneToOneField(
        Category, verbose_name=_("分类"), on_delete=models.CASCADE, related_name="base_risk"
    )
    score = models.IntegerField(_("基础分值"))

    class Meta:
        verbose_name = _("分类基础风险")
        verbose_name_plural = _("分类基础风险")
        ordering = ["category__path"]

    def __str__(self) -> str:
        return f"{self.category}: {self.score}"


class CaseRouting(models.Model):
    """What routing proposed for one case at registration (kept when the dispatcher
    decides otherwise, so that proposals can be compared with decisions)."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="routing"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("建议分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_types = models.JSONField(_("建议承办单位类型"), default=list, blank=True)
    confidence = models.FloatField(_("置信度"), default=0.0)
    top_terms = models.JSONField(_("关键依据"), default=list, blank=True)
    ranking = models.JSONField(_("候选分类"), default=list, blank=True)
    source = models.CharField(
        _("来源"), max_length=8, choices=SuggestionSource.choices, default=SuggestionSource.NONE
    )
    model_version = models.PositiveIntegerField(_("模型版本"), null=True, blank=True)
    tier_center = models.ForeignKey(
        Unit,
        verbose_name=_("建议处置中心"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repeat_count = models.PositiveIntegerField(_("近期重复来访次数"), default=0)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("分流建议")
        verbose_name_plural = _("分流建议")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.category or '-'} ({self.confidence:.2f})"


class TextSignature(models.Model):
    """The MinHash signature of a case's text, for estimating similarity with candidates."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+")
    signature = models.BinaryField()

    class Meta:
        verbose_name = _("文本指纹")
        verbose_name_plural = _("文本指纹")

    def __str__(self) -> str:
        return f"{self.case_id}"


class TextBand(models.Model):
    """One LSH band hash of a case's signature. Two cases that share a band key are
    candidates; the lookup is an index probe on ``key``, never a scan of the cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("文本指纹分段")
        verbose_name_plural = _("文本指纹分段")
        indexes = [models.Index(fields=["key"], name="text_band_key")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"
