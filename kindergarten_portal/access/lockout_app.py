"""django-axes' AppConfig under a Russian name, kept out of kindergarten_portal/apps.py: Django picks
an app's own config there by being its only AppConfig subclass."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class SignInLockoutsConfig(AxesAppConfig):
    """django-axes under a name the office reads (Django's way to rename a third-party app:
    its own AppConfig subclassed in INSTALLED_APPS); the index showed «AXES»."""

    verbose_name = _("Sign-in lockouts")


# django-axes' own words on the admin's pages, which its package translates to no Russian: listed
# here so that `make messages` keeps their Russian in our catalogue (they are looked up as they are).
AXES_WORDS = (
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
)
