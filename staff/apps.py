from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from kindergarten_portal.access.roles import sync_role_permissions

    sync_role_permissions()


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self):
        # Models added by later migrations get permissions only after migrate; keep the
        # role groups' permissions complete whenever migrate runs.
        post_migrate.connect(_sync_roles, dispatch_uid="staff.sync_roles")
        from . import receivers  # noqa: F401  (a deleted record's files leave storage)
