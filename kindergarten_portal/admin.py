from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from kindergarten_portal.access.employment import staff_records
from kindergarten_portal.access.roles import ROLE_LABELS
from kindergarten_portal.admin_messages import FEMININE, MASCULINE, NEUTER, AgreeingMessagesMixin
from kindergarten_portal.lists.admin_lists import LongListMixin
from kindergarten_portal.mail.outbox import KIND_LABELS, outbox_queue_again
from kindergarten_portal.models import OutboxMessage, OutboxStatus, Role
from kindergarten_portal.tenancy import kindergartens_of
from kindergarten_portal.typography import full_stop

User = get_user_model()


class OutboxKindFilter(admin.SimpleListFilter):
    """The kinds of message by their names in the portal's language (no query for the choices)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(KIND_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AgreeingMessagesMixin, LongListMixin, admin.ModelAdmin):
    """Read-only: what was mailed to whom, what waits for a retry and what the sender gave up on."""

    gender = NEUTER
    counted = ngettext_lazy("%(count)d e-mail message", "%(count)d e-mail messages", "count")

    list_display = [
        "created_at",
        "kind_label",
        "recipient",
        "subject",
        "status_label",
        "sent_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", OutboxKindFilter]
    search_fields = ["recipient"]
    actions = ["queue_again"]
    # No body: the office reads who was written to and why, not the letters themselves.
    fields = [
        "kind",
        "key",
        "recipient",
        "subject",
        "status",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    readonly_fields = fields

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, message):
        return KIND_LABELS.get(message.kind, message.kind)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, message):
        if message.status == OutboxStatus.FAILED:
            return format_html('<span class="outbox-failed">{}</span>', message.get_status_display())
        return message.get_status_display()

    @admin.action(description=_("Send the selected e-mails again"))
    def queue_again(self, request, queryset):
        count = outbox_queue_again(messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
        )

    def changelist_view(self, request, extra_context=None):
        failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()
        if failed and request.method == "GET":
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail could not be sent: the mail server kept refusing it.",
                    "%(count)d e-mails could not be sent: the mail server kept refusing them.",
                    failed,
                )
                % {"count": failed},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def office_accounts(user, users):
    """Of `users`, those an office user manages: her kindergarten's people (a staff record there and
    no current one elsewhere: a teacher who moved is her new kindergarten's; or an office role there)
    and accounts not yet linked to any kindergarten (just added, before their staff record is
    chosen); never a superuser."""
    kindergartens = kindergartens_of(user)
    roles = Role.objects.filter(user=OuterRef("pk"))
    records = staff_records(users.model).filter(user=OuterRef("pk"))
    current_elsewhere = records.filter(dismissal_date__isnull=True).exclude(organization__in=kindergartens)
    return users.exclude(is_superuser=True).filter(
        (Exists(records.filter(organization__in=kindergartens)) & ~Exists(current_elsewhere))
        | Exists(roles.filter(organization__in=kindergartens))
        | (~Exists(records) & ~Exists(roles))
    )


class PortalUserAdmin(AgreeingMessagesMixin, LongListMixin, UserAdmin):
    """Accounts, managed by the senior educator within the portal's roles.

    Someone who is not a superuser sees her kindergarten's accounts only; neither superusers (their
    pages are a 404, as other kindergartens' people's) nor the
    "superuser" and per-user permission fields (a posted value is ignored: the form has no such
    field), and may give only the three role groups. So the office cannot raise anyone, herself
    included, above the roles.
    """

    gender = MASCULINE
    counted = ngettext_lazy("%(count)d user", "%(count)d users", "count")

    SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not request.user.is_superuser:
            users = office_accounts(request.user, users)
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


class SignInLockoutAdmin(AgreeingMessagesMixin, AccessAttemptAdmin):
    """django-axes' sign-in attempts (registered by axes, before this app): the locked accounts,
    with a button that unlocks them at every address."""

    gender = FEMININE
    counted = ngettext_lazy("%(count)d access attempt", "%(count)d access attempts", "count")

    actions = ["unlock"]

    def get_queryset(self, request):
        attempts = super().get_queryset(request)
        if not request.user.is_superuser:
            # Her kindergarten's accounts' attempts; a name no account has is the city administrator's.
            mine = office_accounts(request.user, User.objects.all()).values("username")
            attempts = attempts.filter(username__in=mine)
        return attempts

    @admin.action(description=_("Unlock the selected accounts"), permissions=["delete"])
    def unlock(self, request, queryset):
        usernames = sorted({username for username in queryset.values_list("username", flat=True) if username})
        for username in usernames:
            axes_reset(username=username)
        self.message_user(
            request,
            full_stop(
                ngettext(
                    "Unlocked %(count)d account: %(names)s",
                    "Unlocked %(count)d accounts: %(names)s",
                    len(usernames),
                )
                % {"count": len(usernames), "names": ", ".join(usernames)}
            ),
            messages.SUCCESS,
        )


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, SignInLockoutAdmin)


# Django's and axes' own admins, registered again with the portal's messages (admin_messages.py).
class PortalGroupAdmin(AgreeingMessagesMixin, GroupAdmin):
    gender = FEMININE
    counted = ngettext_lazy("%(count)d group", "%(count)d groups", "count")


class PortalAccessLogAdmin(AgreeingMessagesMixin, AccessLogAdmin):
    gender = FEMININE  # «запись о доступе»
    counted = ngettext_lazy("%(count)d access log", "%(count)d access logs", "count")


class PortalAccessFailureLogAdmin(AgreeingMessagesMixin, AccessFailureLogAdmin):
    gender = FEMININE  # «ошибка доступа»
    counted = ngettext_lazy("%(count)d access failure", "%(count)d access failures", "count")


admin.site.unregister(Group)
admin.site.register(Group, PortalGroupAdmin)
admin.site.unregister(AccessLog)
admin.site.register(AccessLog, PortalAccessLogAdmin)
admin.site.unregister(AccessFailureLog)
admin.site.register(AccessFailureLog, PortalAccessFailureLogAdmin)
