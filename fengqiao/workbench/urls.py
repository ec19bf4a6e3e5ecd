from django.urls import path

from fengqiao.workbench import views, views_progress

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_view, name="password"),
    path("role/", views.switch_role, name="switch_role"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.register, name="register"),
    path("cases/new/regions/", views.region_picker, name="region_picker"),
    path("cases/new/check/", views.register_check, name="register_check"),
    path("cases/<str:code>/", views.case_detail, name="case"),
    path("cases/<str:code>/receipt/", views.receipt, name="receipt"),
    path("cases/<str:code>/act/<str:action>/", views.case_action, name="act"),
    path("cases/<str:code>/reveal/<int:party_id>/", views.reveal, name="reveal"),
    path("cases/<str:code>/supervise/", views.supervise, name="supervise"),
    path(
        "cases/<str:code>/supervision/<int:order_id>/reply/",
        views.supervision_reply,
        name="supervision_reply",
    ),
    path("cases/<str:code>/co-report/", views.co_report, name="co_report"),
    path("cases/<str:code>/progress/", views_progress.progress_report, name="progress_report"),
    path("cases/<str:code>/clock/pause/", views.clock_pause, name="clock_pause"),
    path("cases/<str:code>/clock/resume/", views.clock_resume, name="clock_resume"),
    path("cases/<str:code>/extension/", views.extension_request, name="extension_request"),
    path(
        "cases/<str:code>/extension/<int:request_id>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("cases/<str:code>/category/", views.category_correct, name="category_correct"),
    path("supervision/", views.supervision_list, name="supervision"),
    path("cases/<str:code>/attach/", views.attach, name="attach"),
    path("cases/<str:code>/visit/", views.visit, name="visit"),
    path("inbox/", views.inbox, name="inbox"),
    path("tokens/", views.tokens, name="tokens"),
    path("manage/units/", views.manage_units, name="manage_units"),
    path("manage/staff/", views.manage_staff, name="manage_staff"),
    path("manage/categories/", views.manage_categories, name="manage_categories"),
    path("manage/regions/", views.manage_regions, name="manage_regions"),
]
