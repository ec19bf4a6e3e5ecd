from django.urls import path

from fengqiao.workbench import views_progress
from fengqiao.workbench.views import (
    account,
    auth,
    case,
    casework,
    lists,
    manage,
    registration,
    supervision,
)

app_name = "workbench"
urlpatterns = [
    path("", lists.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_view, name="password"),
    path("role/", auth.switch_role, name="switch_role"),
    path("cases/", lists.case_list, name="cases"),
    path("cases/new/", registration.register, name="register"),
    path("cases/new/regions/", registration.region_picker, name="region_picker"),
    path("cases/new/check/", registration.register_check, name="register_check"),
    path("cases/<str:code>/", case.case_detail, name="case"),
    path("cases/<str:code>/receipt/", registration.receipt, name="receipt"),
    path("cases/<str:code>/act/<str:action>/", case.case_action, name="act"),
    path("cases/<str:code>/reveal/<int:party_id>/", case.reveal, name="reveal"),
    path("cases/<str:code>/attach/", case.attach, name="attach"),
    path("cases/<str:code>/supervise/", casework.supervise, name="supervise"),
    path(
        "cases/<str:code>/supervision/<int:order_id>/reply/",
        casework.supervision_reply,
        name="supervision_reply",
    ),
    path("cases/<str:code>/co-report/", casework.co_report, name="co_report"),
    path("cases/<str:code>/progress/", views_progress.progress_report, name="progress_report"),
    path("cases/<str:code>/co-release/", casework.co_release, name="co_release"),
    path("cases/<str:code>/clock/pause/", casework.clock_pause, name="clock_pause"),
    path("cases/<str:code>/clock/resume/", casework.clock_resume, name="clock_resume"),
    path("cases/<str:code>/extension/", casework.extension_request, name="extension_request"),
    path(
        "cases/<str:code>/extension/<int:request_id>/decide/",
        casework.extension_decide,
        name="extension_decide",
    ),
    path("cases/<str:code>/category/", casework.category_correct, name="category_correct"),
    path("cases/<str:code>/visit/", casework.visit, name="visit"),
    path("supervision/", supervision.supervision_list, name="supervision"),
    path("inbox/", account.inbox, name="inbox"),
    path("tokens/", account.tokens, name="tokens"),
    path("manage/units/", manage.manage_units, name="manage_units"),
    path("manage/staff/", manage.manage_staff, name="manage_staff"),
    path("manage/categories/", manage.manage_categories, name="manage_categories"),
    path("manage/regions/", manage.manage_regions, name="manage_regions"),
]
