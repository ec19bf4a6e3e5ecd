from django.contrib import admin

from fengqiao.followup.models import MonthlySample, Visit, VisitTask


class VisitInline(admin.TabularInline):
    model = Visit
    extra = 0
    can_delete = False
    fields = ("method", "reached", "reached_person", "satisfaction", "comment", "outcome",
              "visited_by", "visited_at")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VisitTask)
class VisitTaskAdmin(admin.ModelAdmin):
    list_display = ("case", "center", "status", "is_sample", "due_at", "finished_at")
    list_filter = ("status", "is_sample")
    search_fields = ("case__code",)
    raw_id_fields = ("case", "center", "sample")
    readonly_fields = ("status", "finished_at")
    inlines = [VisitInline]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("case", "method", "reached", "satisfaction", "outcome", "visited_by",
                    "visited_at")  # fmt: skip
    list_filter = ("method", "satisfaction", "outcome")
    search_fields = ("case__code",)
    raw_id_fields = ("task", "case", "visited_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonthlySample)
class MonthlySampleAdmin(admin.ModelAdmin):
    list_display = ("center", "month", "size", "population", "seed", "drawn_at")
    list_filter = ("month",)
    raw_id_fields = ("center", "drawn_by")
    readonly_fields = ("seed", "case_codes", "population", "drawn_at", "drawn_by")
