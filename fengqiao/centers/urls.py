from django.urls import path

app_name = "centers"
urlpatterns = []
