"""The teachers' public mini-sites at /t/ (included by the project's urls.py; no sign-in needed)."""

from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.site_index, name="index"),
    path("<slug:slug>/", views.site_page, name="page"),
    path("<slug:slug>/photo/", views.site_photo, name="photo"),
]
