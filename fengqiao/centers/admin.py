from django.contrib import admin

from fengqiao.centers.models import AssessmentWeight, ChecklistItem, PlanTemplate, StaffingNorm


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("code", "group", "name", "name_en", "points", "levels", "is_active")
    list_editable = ("points", "is_active")


@admin.register(StaffingNorm)
class StaffingNormAdmin(admin.ModelAdmin):
    list_display = ("level", "min_full_time", "max_full_time", "residency_target")
    list_editable = ("min_full_time", "max_full_time", "residency_target")


@admin.register(AssessmentWeight)
class AssessmentWeightAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "weight", "is_active")
    list_editable = ("weight", "is_active")


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "incident", "is_active")
