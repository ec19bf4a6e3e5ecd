"""Admin for routing configuration: keyword rules, risk words, weights, schemes, category
base risks, classifier versions, corrections and per-case suggestions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from fengqiao.routing import services
from fengqiao.routing.models import (
    CaseRouting,
    CategoryRisk,
    ClassifierVersion,
    Correction,
    KeywordRule,
    RiskLevel,
    RiskScheme,
    RiskWeight,
    RiskWord,
)


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "keywords", "weight", "is_active", "updated_at"]
    list_filter = ["is_active"]
    list_editable = ["weight", "is_active"]
    search_fields = ["keywords", "category__name", "category__code"]
    autocomplete_fields = ["category"]


@admin.register(RiskWord)
class RiskWordAdmin(admin.ModelAdmin):
    list_display = ["word", "group", "weight", "is_active"]
    list_filter = ["group", "is_active"]
    list_editable = ["group", "weight", "is_active"]
    search_fields = ["word"]


@admin.register(RiskWeight)
class RiskWeightAdmin(admin.ModelAdmin):
    list_display = ["code", "weight", "threshold", "is_active"]
    list_editable = ["weight", "threshold", "is_active"]


@admin.register(CategoryRisk)
class CategoryRiskAdmin(admin.ModelAdmin):
    list_display = ["category", "score"]
    list_editable = ["score"]
    autocomplete_fields = ["category"]
    search_fields = ["category__name", "category__code"]


class RiskLevelInline(admin.TabularInline):
    model = RiskLevel
    extra = 0


@admin.register(RiskScheme)
class RiskSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    readonly_fields = ["is_active"]
    inlines = [RiskLevelInline]
    actions = ["activate"]

    @admin.action(description=_("设为当前使用的方案"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一个方案。"), messages.ERROR)
            return
        services.activate_scheme(scheme=queryset.get())
        self.message_user(request, _("已切换风险分级方案。"))


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "is_active", "n_samples", "metrics", "trained_at", "note"]
    readonly_fields = ["version", "labels", "metrics", "n_samples", "trained_at", "is_active"]
    fields = ["version", "is_active", "n_samples", "labels", "metrics", "trained_at", "note"]
    actions = ["activate"]

    def has_add_permission(self, request) -> bool:
        return False  # versions come from `manage.py train_classifier`

    @admin.action(description=_("启用所选模型版本"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一个版本。"), messages.ERROR)
            return
        services.activate_version(version=queryset.get())
        self.message_user(request, _("已启用模型版本。"))


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["case", "proposed", "corrected", "actor", "created_at"]
    list_select_related = ["case", "proposed", "corrected", "actor"]
    readonly_fields = ["case", "proposed", "corrected", "actor", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CaseRouting)
class CaseRoutingAdmin(admin.ModelAdmin):
    list_display = ["case", "category", "confidence", "source", "model_version", "repeat_count"]
    list_select_related = ["case", "category"]
    list_filter = ["source"]
    search_fields = ["case__code"]
    readonly_fields = [
        "case", "category", "unit_types", "confidence", "top_terms", "ranking", "source",
        "model_version", "tier_center", "repeat_count", "created_at", "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False
