from django.urls import path

from fengqiao.grid.views import basedata, campaigns, field, grids, keypop

app_name = "grid"
urlpatterns = [
    path("", grids.home, name="index"),
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
    path("people/", keypop.key_people, name="key_people"),
    path("people/new/", keypop.key_person_create, name="key_person_create"),
    path("people/<int:person_id>/", keypop.key_person, name="key_person"),
    path("people/<int:person_id>/visit/", keypop.key_person_visit, name="key_person_visit"),
    path("people/reveals/", keypop.reveal_log, name="reveal_log"),
    path("data/", basedata.residents, name="residents"),
    path("data/import/", basedata.import_page, name="import"),
    path("data/template.xlsx", basedata.template, name="template"),
    path("data/export.xlsx", basedata.export, name="export"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/tasks/<int:task_id>/", campaigns.task_report, name="campaign_task"),
    path(
        "campaigns/findings/<int:finding_id>/rectified/",
        campaigns.finding_done,
        name="finding_done",
    ),
]
