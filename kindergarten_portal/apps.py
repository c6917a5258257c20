from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using, **kwargs):
    """The database cache's table is not a model: `migrate` creates it too, so no deployment and no
    `make run` can forget it (nothing happens when it exists or when the cache is Redis)."""
    call_command("createcachetable", database=using, verbosity=0)


class PortalConfig(AppConfig):
    name = "kindergarten_portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth import get_user_model

        from .access.roles import office_roles_follow_groups

        post_migrate.connect(create_cache_table, sender=self)
        m2m_changed.connect(office_roles_follow_groups, sender=get_user_model().groups.through)
