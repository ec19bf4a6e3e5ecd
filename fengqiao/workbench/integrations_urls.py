"""The staff pages of the integrations (partners, signals, webhooks, imports, exports,
cameras): workbench pages over the integrations app's services."""

from django.urls import path

from fengqiao.workbench.views import integrations as views

app_name = "integrations"
urlpatterns = [
    path("", views.home, name="home"),
    path("partners/", views.partners, name="partners"),
    path("signals/", views.signals, name="signals"),
    path("webhooks/", views.webhooks_page, name="webhooks"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
    path("imports/", views.imports_page, name="imports"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/run/", views.import_run, name="import_run"),
    path("export/cases.<str:fmt>", views.export_cases, name="export"),
    path("cameras/", views.cameras, name="cameras"),
    path("cases/<str:code>/cameras/", views.case_cameras, name="case_cameras"),
]
