from django.urls import path

from fengqiao.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", views.region_options, name="regions"),
    path("submitted/<str:code>/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_case, name="track_case"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
    path("poster/<int:center_id>/", views.poster, name="poster"),
]
