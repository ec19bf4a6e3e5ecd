from django.urls import path

from fengqiao.participation import views as v

app_name = "participation"
urlpatterns = [
    path("", v.index, name="index"),
    path("clues/<int:pk>/", v.clue, name="clue"),
    path("topics/", v.topics, name="topics"),
    path("topics/<int:pk>/", v.topic, name="topic"),
    path("meetings/", v.meetings, name="meetings"),
    path("notices/", v.notices_page, name="notices"),
    path("creation/", v.creation_page, name="creation"),
    path("creation/campaign/<int:pk>/", v.campaign, name="campaign"),
    path("points/", v.points_page, name="points"),
]
