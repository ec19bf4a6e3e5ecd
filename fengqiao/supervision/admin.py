from django.contrib import admin

from fengqiao.supervision.models import GradeSetting, SupervisionOrder, SupervisionReply


@admin.register(GradeSetting)
class GradeSettingAdmin(admin.ModelAdmin):
    list_display = ["grade", "name", "points", "reply_days"]


class ReplyInline(admin.TabularInline):
    model = SupervisionReply
    extra = 0
    can_delete = False
    readonly_fields = ["author", "unit", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "grade",
        "unit",
        "status",
        "is_automatic",
        "points",
        "issued_at",
        "reply_deadline",
    ]
    list_filter = ["grade", "status", "is_automatic"]
    raw_id_fields = ["case", "escalated_from"]
    inlines = [ReplyInline]

    def has_change_permission(self, request, obj=None):
        return False
