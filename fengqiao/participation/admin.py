"""Admin: points rules and rewards are edited here (or on the section's points page); the
ledger is shown read-only (append-only: no add, change or delete)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from fengqiao.participation.models import PointEntry, PointRule, Reward


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "points", "is_active", "updated_at")
    list_editable = ("points", "is_active")


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ("name", "center", "cost", "stock", "is_active")
    list_filter = ("is_active",)


@admin.register(PointEntry)
class PointEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "resident", "delta", "balance", "reason", "rule_code")
    readonly_fields = [f.name for f in PointEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
