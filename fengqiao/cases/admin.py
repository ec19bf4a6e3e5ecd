"""Admin for reference data (categories) and a read-only view of cases and their history.

Cases change only through the services (the workflow), so the admin never edits them.
"""

from django.contrib import admin

from fengqiao.cases.models import Case, CaseAssignment, CaseEvent, Category, Party


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("full_name", "code", "kind", "unit_types", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    raw_id_fields = ("parent",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PartyInline(ReadOnlyInline):
    model = Party
    fields = ("role", "kind", "masked_name", "masked_phone", "masked_id_number")
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = CaseAssignment
    fields = ("unit", "role", "status", "assigned_at", "signed_at", "reported_at")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("seq", "action", "from_status", "to_status", "actor_label", "unit_label", "note",
              "created_at")  # fmt: skip
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "status", "risk_level", "center", "lead_unit", "registered_at")
    list_filter = ("status", "risk_level", "channel", "kind")
    search_fields = ("=code", "title")
    inlines = [PartyInline, AssignmentInline, EventInline]
    show_full_result_count = False
    list_select_related = ("center", "lead_unit")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
