from django.urls import path

from bench import views

urlpatterns = [
    path("ping", views.ping),
    path("bare-register", views.bare_register),
]
