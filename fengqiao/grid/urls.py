from django.urls import path

from fengqiao.grid.views import field, grids

app_name = "grid"
urlpatterns = [
    path("", grids.home, name="home"),
    path("new/", grids.grid_create, name="create"),
    path("region-boundary/", grids.region_boundary, name="region_boundary"),
    path("map/", grids.map_page, name="map"),
    path("map/data.json", grids.map_data, name="map_data"),
    path("report/", field.report_page, name="report"),
    path("report/submit/", field.report_submit, name="report_submit"),
    path("worklog/", field.worklog_page, name="worklog"),
    path("patrol/", field.patrol_submit, name="patrol"),
    path("public/<str:code>/", grids.public_grid, name="public"),
    path("g/<str:code>/", grids.grid_detail, name="grid"),
    path("g/<str:code>/edit/", grids.grid_update, name="grid_update"),
    path("g/<str:code>/boundary/", grids.grid_boundary, name="grid_boundary"),
    path("g/<str:code>/cases/", grids.grid_cases, name="grid_cases"),
    path("g/<str:code>/workers/", grids.worker_add, name="worker_add"),
    path("g/<str:code>/workers/<int:worker_id>/remove/", grids.worker_remove, name="worker_remove"),
]
