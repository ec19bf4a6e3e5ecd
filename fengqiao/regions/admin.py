from django.contrib import admin

from fengqiao.regions.models import Grid, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "full_name", "county_code")
    list_filter = ("level",)
    search_fields = ("code", "name", "full_name")
    readonly_fields = ("path", "county_code", "full_name")
    raw_id_fields = ("parent",)
    show_full_result_count = False


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "region__name")
    raw_id_fields = ("region",)
