from django.urls import path

from fengqiao.security import views

app_name = "security"

urlpatterns = [
    path("audit/", views.audit_view, name="audit"),
    path("otp/", views.otp_view, name="otp"),
]
