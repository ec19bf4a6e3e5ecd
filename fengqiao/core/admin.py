from django.contrib import admin

from fengqiao.core.models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "task_path",
        "interval_seconds",
        "next_run_at",
        "last_run_at",
        "is_enabled",
    ]
