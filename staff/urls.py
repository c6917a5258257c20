from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("me/", views.my_page, name="my_page"),
    path("me/contacts/", views.my_contacts_edit, name="my_contacts_edit"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("trainings/<int:pk>/scan/", views.training_scan, name="training_scan"),
]
