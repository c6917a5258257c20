from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Network events")

    def ready(self):
        from . import receivers  # noqa: F401  (a dismissal releases places; photos leave storage)
