from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("workbook/latest/", views.latest_workbook, name="latest_workbook"),
    path("builds/<int:pk>/workbook/", views.build_workbook, name="build_workbook"),
    path("self-reports/", views.self_reports, name="self_reports"),
    path("self-report/", views.my_self_report, name="my_self_report"),
    path("self-report/mine/", views.my_self_reports, name="my_self_reports"),
    path("self-report/<int:pk>/", views.self_report, name="self_report"),
    path("self-report/<int:pk>/review/", views.self_report_review, name="self_report_review"),
    path("self-report/<int:pk>/withdraw/", views.self_report_withdraw, name="self_report_withdraw"),
    path("self-report/<int:pk>/print/", views.self_report_print, name="self_report_print"),
    path("self-report/<int:pk>/xlsx/", views.self_report_xlsx, name="self_report_xlsx"),
]
