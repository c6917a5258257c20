from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kindergarten_portal import views
from kindergarten_portal.access.password_reset import (
    ThrottledPasswordResetView,
    UnlockingPasswordResetConfirmView,
)

admin.site.site_header = _("Methodological office")
admin.site.site_title = _("Methodological office")
admin.site.index_title = _("Kindergarten portal administration")
admin.site.enable_nav_sidebar = False  # the staff list needs the width more than a second menu

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    # Ahead of Django's own, which it replaces: the mail is queued and the requests are limited.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        UnlockingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("staff.urls")),
    path("events/", include("events.urls")),
    path("portfolio/", include("portfolios.urls")),
    path("t/", include("portfolios.site_urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
