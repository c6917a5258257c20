"""Which kindergarten a row belongs to, for the admin: a row added there is the office's kindergarten's
(the portal's own while it serves one); a row on file keeps the kindergarten it has.

Part of the ground: it imports no app."""

from .models import Organization


class KindergartenRecordMixin:
    """ModelAdmin mixin for a model a kindergarten owns; `kindergarten_field` names its key
    (`organization`, or `host` for events and series)."""

    kindergarten_field = "organization"

    def save_model(self, request, obj, form, change):
        if getattr(obj, f"{self.kindergarten_field}_id") is None:
            setattr(obj, self.kindergarten_field, Organization.objects.own_or_create())
        super().save_model(request, obj, form, change)
