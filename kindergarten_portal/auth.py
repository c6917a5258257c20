"""The sign-in backend: Django's, reading with the signed-in user what every page's frame needs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL

from .roles import ROLE_LABELS

_SEPARATOR = ","  # no role name contains it (kindergarten_portal.roles)


def _group_names_sql():
    """The user's group names joined into one string, as a subquery of the user's row. Written as SQL
    because this runs on every signed-in request: three Exists() annotations cost about a millisecond
    of query building each time, this costs none."""
    user_model = get_user_model()
    memberships = user_model.groups.through._meta.db_table
    aggregate = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    quote = connection.ops.quote_name
    return (
        f"SELECT {aggregate}(g.{quote('name')}, %s) FROM {quote(Group._meta.db_table)} g"
        f" INNER JOIN {quote(memberships)} m ON m.{quote('group_id')} = g.{quote('id')}"
        f" WHERE m.{quote('user_id')} = {quote(user_model._meta.db_table)}.{quote(user_model._meta.pk.column)}"
    )


class PortalBackend(ModelBackend):
    """ModelBackend whose per-request read of the user (every signed-in page makes it) also brings
    her staff record and which of the portal's roles she has, in the same query: the frame's menu
    and the views read them without a query of their own."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = (
                user_model._default_manager.select_related("employee")
                .annotate(group_names=RawSQL(_group_names_sql(), [_SEPARATOR], output_field=CharField()))
                .get(pk=user_id)
            )
        except user_model.DoesNotExist:
            return None
        # The role checks of kindergarten_portal.roles read this instead of querying the groups.
        names = set((user.group_names or "").split(_SEPARATOR))
        user._role_names = frozenset(name for name in ROLE_LABELS if name in names)
        return user if self.user_can_authenticate(user) else None
