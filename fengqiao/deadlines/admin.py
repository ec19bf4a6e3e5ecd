from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from fengqiao.deadlines.models import (
    CalendarDay,
    CalendarYear,
    CaseTimer,
    ExtensionRequest,
    TimeLimitRule,
)
from fengqiao.deadlines.selectors import missing_calendar_years


def _warn_missing_years(request) -> None:
    for year in missing_calendar_years():
        messages.warning(
            request,
            _(
                "%(year)d年的法定节假日安排尚未录入，该年的期限暂按周一至周五计算。请在“节假日安排”中录入。"
            )
            % {"year": year},
        )


class CalendarDayFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            date = data.get("date")
            if date and not data.get("DELETE") and year and date.year != year:
                raise ValidationError(
                    _("%(date)s不在%(year)d年内。") % {"date": date, "year": year}
                )


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 5


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "entered_by", "entered_at"]
    inlines = [CalendarDayInline]
    readonly_fields = ["entered_by", "entered_at"]

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "category",
        "risk_level",
        "counting",
        "sign_days",
        "resolve_days",
        "visit_days",
        "warn_share",
        "is_active",
    ]
    list_filter = ["kind", "risk_level", "counting", "is_active"]

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        return super().changelist_view(request, extra_context)


@admin.register(CaseTimer)
class CaseTimerAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "period", "deadline", "stage", "is_running", "paused_since"]
    list_filter = ["kind", "stage", "is_running"]
    raw_id_fields = ["case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "unit", "days", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["case"]

    def has_change_permission(self, request, obj=None):
        return False
