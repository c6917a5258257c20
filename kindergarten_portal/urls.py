from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from events import views as events_views
from kindergarten_portal import views
from kindergarten_portal.access.password_reset import (
    ThrottledPasswordResetView,
    UnlockingPasswordResetConfirmView,
)
from portfolios import views as portfolios_views

admin.site.site_header = _("Methodological office")
admin.site.site_title = _("Methodological office")
admin.site.index_title = _("Kindergarten portal administration")
admin.site.enable_nav_sidebar = False  # the staff list needs the width more than a second menu

# A kindergarten's public pages at its own address (/k/<slug>/…), to link from its official site: the
# same pages as the portal's, reading that kindergarten's rows only (tenancy.public_page). Pages of
# one object (an event, a result, a mini-site) keep their one address.
kindergarten_pages = (
    [
        path("", events_views.open_events, name="index"),
        path("events/open/", events_views.open_events, name="open_list"),
        path("events/open.ics", events_views.open_ics, name="open_ics"),
        path("events/results/", events_views.results, name="results"),
        path("events/results/feed/", events_views.results_feed, name="results_feed"),
        path("t/", portfolios_views.site_index, name="sites"),
    ],
    "k",
)

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
    path("k/<slug:kindergarten>/", include(kindergarten_pages)),
    path("admin/", admin.site.urls),
]
