from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("me/", views.my_page, name="my_page"),
    path("me/contacts/", views.my_contacts_edit, name="my_contacts_edit"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("self-evaluation/", views.self_evaluation, name="self_evaluation"),
    path("self-evaluation/xlsx/", views.self_evaluation_xlsx, name="self_evaluation_xlsx"),
    path("trainings/<int:pk>/scan/", views.training_scan, name="training_scan"),
]
