from django.urls import path

from . import views

app_name = "portfolios"
urlpatterns = [
    path("", views.my_portfolio, name="my_portfolio"),
    path("entries/add/", views.entry_add, name="entry_add"),
    path("entries/carry/", views.carry, name="carry"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/submit/", views.entry_submit_view, name="entry_submit"),
    path("entries/<int:pk>/delete/", views.entry_delete_view, name="entry_delete"),
    path("entries/<int:pk>/visibility/", views.entry_visibility, name="entry_visibility"),
    path("files/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("files/<int:pk>/thumbnail/", views.evidence_thumbnail, name="evidence_thumbnail"),
    path("files/<int:pk>/delete/", views.evidence_delete_view, name="evidence_delete"),
    path("review/", views.review, name="review"),
    path("review/decide/", views.review_decide, name="review_decide"),
    path("mini-site/", views.minisite_edit, name="minisite_edit"),
]
