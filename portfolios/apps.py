from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = _("Portfolios")

    def ready(self):
        from . import receivers  # noqa: F401  (derived entries; evidence files leave storage)
