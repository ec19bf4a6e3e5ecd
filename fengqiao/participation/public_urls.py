from django.urls import path

from fengqiao.participation import public_views as v

app_name = "participation_public"
urlpatterns = [
    path("", v.home, name="home"),
    path("login/", v.login, name="login"),
    path("logout/", v.logout, name="logout"),
    path("place/", v.place, name="place"),
    path("report/", v.report, name="report"),
    path("points/", v.my_points, name="points"),
    path("topics/", v.topics, name="topics"),
    path("topics/<int:pk>/", v.topic, name="topic"),
    path("notices/<int:pk>/", v.notice, name="notice"),
    path("surveys/<int:pk>/", v.survey, name="survey"),
]
