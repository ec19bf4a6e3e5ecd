from django.urls import path

from fengqiao.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("data.json", views.dashboard_json, name="data"),
]
