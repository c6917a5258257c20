from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    # Teachers (signed in)
    path("", views.plan, name="plan"),
    path("my-name-in-results/", views.my_results_name_consent, name="my_results_name_consent"),
    path("<int:year>/<int:month>/", views.month, name="month"),
    path("<int:year>/<int:month>/calendar/", views.month_calendar, name="calendar"),
    path("<int:year>/<int:month>/print/", views.month_print, name="month_print"),
    path("<int:year>/<int:month>/plan.xlsx", views.month_xlsx, name="month_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("my/", views.my_events, name="my"),
    path("my/sharing/<int:pk>/", views.sharing, name="sharing"),
    path("my/calendar/", views.my_calendar, name="my_calendar"),
    path("my/certificates/<int:pk>/", views.my_certificate, name="my_certificate"),
    path("my/calendar/new/", views.my_calendar_regenerate, name="my_calendar_regenerate"),
    path("calendar/<str:token>.ics", views.personal_ics, name="personal_ics"),
    # Public (no sign-in)
    path("open/", views.open_events, name="open_list"),
    path("open/<int:pk>/", views.open_event_detail, name="open_detail"),
    path("open/<int:pk>/registered/", views.open_registered, name="open_registered"),
    path("open.ics", views.open_ics, name="open_ics"),
    path("results/", views.results, name="results"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("results/feed/", views.results_feed, name="results_feed"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("certificates/<str:token>.pdf", views.external_certificate, name="external_certificate"),
    path("certificates/<str:number>/<str:code>/", views.certificate_verify, name="certificate_verify"),
    # A dismissed teacher's own certificates, by the signed link e-mailed to her
    path("teacher-certificates/<str:token>/", views.teacher_certificates, name="teacher_certificates"),
    path(
        "teacher-certificates/<str:token>/<int:pk>.pdf",
        views.teacher_certificate,
        name="teacher_certificate",
    ),
]
