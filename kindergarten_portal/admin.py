from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import Http404

from .admin_lists import LongListMixin
from .models import OutboxMessage
from .roles import ROLE_LABELS

User = get_user_model()


@admin.register(OutboxMessage)
class OutboxMessageAdmin(LongListMixin, admin.ModelAdmin):
    """Read-only: what was mailed to whom, and what the mail server refused."""

    list_display = ["created_at", "kind", "recipient", "subject", "sent_at", "error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "kind"]
    search_fields = ["recipient"]
    # No body: an account's first mail carries her set-password link, which the office never sees.
    fields = ["kind", "key", "recipient", "subject", "created_at", "sent_at", "attempts", "error"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PortalUserAdmin(LongListMixin, UserAdmin):
    """Accounts, managed by the senior educator within the portal's roles.

    Someone who is not a superuser neither sees superusers (their pages are a 404) nor the
    "superuser" and per-user permission fields (a posted value is ignored: the form has no such
    field), and may give only the three role groups. So the office cannot raise anyone, herself
    included, above the roles.
    """

    SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not request.user.is_superuser:
            users = users.exclude(is_superuser=True)
        return users

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A 404, not the admin's usual redirect with "does not exist": a superuser's page and a
        # missing one answer alike, and plainly.
        raise Http404

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in self.SUPERUSER_ONLY_FIELDS]},
            )
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f != "is_superuser"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_LABELS).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
