from django.urls import path

from fengqiao.mediation import views

app_name = "mediation"
urlpatterns = [
    path("", views.home, name="home"),
    path("mediators/", views.directory_page, name="directory"),
    path("mediators/new/", views.mediator_edit, name="mediator_new"),
    path("mediators/<int:pk>/", views.mediator_edit, name="mediator"),
    path("mediators/<int:pk>/relatives/", views.relative_add, name="relative_add"),
    path("cases/<str:code>/", views.case_page, name="case"),
    path("cases/<str:code>/section/", views.case_section, name="case_section"),
    path("cases/<str:code>/request/", views.request_create, name="request"),
    path("cases/<str:code>/sessions/", views.session_create, name="session_new"),
    path("cases/<str:code>/package/", views.package_choose, name="package"),
    path("cases/<str:code>/transfer/", views.transfer_send, name="transfer_send"),
    path("requests/<int:pk>/decide/", views.request_decide, name="decide"),
    path("sessions/<int:pk>/", views.session_page, name="session"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/dispatch/", views.session_dispatch, name="session_dispatch"),
    path("agreements/<int:pk>/", views.agreement_page, name="agreement"),
    path("agreements/<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/settle/", views.agreement_settle, name="agreement_settle"),
    path("agreements/<int:pk>/court/", views.agreement_court, name="agreement_court"),
    path("confirmations/<int:pk>/ruling/", views.confirmation_ruling, name="ruling"),
    path("services/<int:pk>/", views.service_update, name="service"),
    path("transfers/", views.transfers_page, name="transfers"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/return/", views.transfer_return, name="transfer_return"),
    path("rooms/", views.rooms_page, name="rooms"),
    path("stats/", views.stats_page, name="stats"),
    path("stats.json", views.stats_json, name="stats_json"),
]
