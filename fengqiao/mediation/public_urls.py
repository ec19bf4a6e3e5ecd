from django.urls import path

from fengqiao.mediation import public_views

app_name = "mediation_public"
urlpatterns = [
    path("", public_views.directory, name="directory"),
    path("m/<int:pk>/", public_views.profile, name="profile"),
    path("choose/<str:code>/", public_views.choose, name="choose"),
    path("verify/", public_views.verify, name="verify"),
]
