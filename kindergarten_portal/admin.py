from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what was mailed to whom, and what the mail server refused."""

    list_display = ["created_at", "kind", "recipient", "subject", "sent_at", "error"]
    list_per_page = 50
    # Filtered lists skip counting the whole table: the years make it long.
    show_full_result_count = False
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
