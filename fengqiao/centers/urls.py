from django.urls import path

from fengqiao.centers import views

app_name = "centers"
urlpatterns = [
    path("", views.home, name="home"),
    path("compliance/", views.compliance, name="compliance"),
    path("standard/", views.standard, name="standard"),
    path("staffing/", views.staffing, name="staffing"),
    path("duty/", views.duty, name="duty"),
    path("board/<int:center_id>/", views.board, name="board"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("reports/", views.reports, name="reports"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("assessment/", views.assessment_page, name="assessment"),
]
