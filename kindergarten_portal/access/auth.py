"""The sign-in backend: Django's, reading with the signed-in user what every page's frame needs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery

from kindergarten_portal.access.employment import current_employment, staff_records
from kindergarten_portal.access.roles import ROLE_LABELS
from kindergarten_portal.models import Role


def _role_annotation(name):
    return f"has_role_{name}"


class PortalBackend(ModelBackend):
    """ModelBackend whose per-request read of the user (every signed-in page makes it) also brings
    her staff record, which of the portal's roles she has and her office's kindergarten, in the same
    query: the frame's menu, the views and the request's scope read them without a query of their own."""

    def get_user(self, user_id):
        user_model = get_user_model()
        roles = {
            _role_annotation(name): Exists(Group.objects.filter(user=OuterRef("pk"), name=name))
            for name in ROLE_LABELS
        }
        try:
            # Her office's kindergarten (an office works in one at a time) for the request's scope.
            office = (
                Role.objects.filter(user=OuterRef("pk")).order_by("organization_id").values("organization_id")
            )
            # Her staff record: the current one joined (one at most, by its constraint), and whether
            # she has one with a dismissal date: a kindergarten she left (entries to carry) and, with
            # no current one, a former teacher, whose last record is read apart.
            records = staff_records(user_model)
            user = (
                user_model._default_manager.annotate(
                    current_record=FilteredRelation(
                        "employee", condition=Q(employee__dismissal_date__isnull=True)
                    )
                )
                .select_related("current_record")
                .annotate(
                    **roles,
                    office_kindergarten=Subquery(office[:1]),
                    had_records=Exists(records.filter(user=OuterRef("pk"), dismissal_date__isnull=False)),
                )
                .get(pk=user_id)
            )
        except user_model.DoesNotExist:
            return None
        current = getattr(user, "current_record", None)  # set by the join only when it found one
        if current is not None or not user.had_records:
            user._current_employment = current
        else:
            current_employment(user)  # a former teacher's last record: read once, kept on the user
        # The role checks of kindergarten_portal.access.roles read this instead of querying the groups.
        user._role_names = frozenset(name for name in ROLE_LABELS if getattr(user, _role_annotation(name)))
        return user if self.user_can_authenticate(user) else None
