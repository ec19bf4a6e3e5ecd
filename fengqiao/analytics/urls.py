from django.urls import path

from fengqiao.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("data.json", views.dashboard_json, name="data"),
    path("level.json", views.level_json, name="level_data"),
    path("index/", views.index_page, name="index"),
    path("index/data.json", views.index_json, name="index_data"),
    path("index/weights/", views.weights_update, name="weights"),
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_json, name="map_data"),
    path("hot/", views.hot_page, name="hot"),
    path("report/", views.report_view, name="report"),
    path("warnings/", views.warnings_page, name="warnings"),
    path("warnings/data.json", views.warnings_json, name="warnings_data"),
]
