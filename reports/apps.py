from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_defaults(sender, using="default", **kwargs):
    # A flush (transactional tests) empties the tables the data migration filled; refill them.
    from .defaults import load_defaults
    from .models import RecommendationCriterion, ScoringRule

    tables = connections[using].introspection.table_names()
    if ScoringRule._meta.db_table in tables and RecommendationCriterion._meta.db_table in tables:
        load_defaults(ScoringRule, RecommendationCriterion)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="reports.ensure_defaults")
        from . import receivers  # noqa: F401  (a deleted build's workbook leaves storage)
