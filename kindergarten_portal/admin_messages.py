"""The admin's success messages in Russian that agrees with the model's name.

Django's ModelAdmin says «{name} “{obj}“ был успешно добавлен» whatever the word, so an
organization «был изменен» and a participation «был успешно добавлен». Every ModelAdmin of the
portal (auth's and axes' included, registered again in kindergarten_portal/admin.py) takes
AgreeingMessagesMixin and declares its model's word once:

- `gender`: the grammatical gender of the model's verbose name (MASCULINE, FEMININE or NEUTER);
- `counted`: the name with a number, in its plural forms:
  `ngettext_lazy("%(count)d event", "%(count)d events", "count")` («3 мероприятия»).

The mixin then posts «Организация «Детская поликлиника № 3» добавлена.», «Мероприятие «…»
изменено. Ниже его можно изменить снова.» and «Удалено: 3 мероприятия.» in place of Django's
sentences. Each of those sentences is posted by ModelAdmin right after a documented hook
(response_add, response_change, response_delete; delete_queryset for the delete_selected action;
save_model for the rows of a list_editable list): the hook leaves the portal's sentence on the
request and message_user posts it instead of Django's next success message.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy

from kindergarten_portal.typography import inner_quotes

MASCULINE = "masculine"
FEMININE = "feminine"
NEUTER = "neuter"
GENDERS = (MASCULINE, FEMININE, NEUTER)

# Literal contexts, one per gender, so that makemessages finds every form.
ADDED = {
    MASCULINE: pgettext_lazy("masculine", "{name} “{obj}” was added."),
    FEMININE: pgettext_lazy("feminine", "{name} “{obj}” was added."),
    NEUTER: pgettext_lazy("neuter", "{name} “{obj}” was added."),
}
CHANGED = {
    MASCULINE: pgettext_lazy("masculine", "{name} “{obj}” was changed."),
    FEMININE: pgettext_lazy("feminine", "{name} “{obj}” was changed."),
    NEUTER: pgettext_lazy("neuter", "{name} “{obj}” was changed."),
}
DELETED = {
    MASCULINE: pgettext_lazy("masculine", "{name} “{obj}” was deleted."),
    FEMININE: pgettext_lazy("feminine", "{name} “{obj}” was deleted."),
    NEUTER: pgettext_lazy("neuter", "{name} “{obj}” was deleted."),
}
EDIT_AGAIN = {
    MASCULINE: pgettext_lazy("masculine", "You may edit it again below."),
    FEMININE: pgettext_lazy("feminine", "You may edit it again below."),
    NEUTER: pgettext_lazy("neuter", "You may edit it again below."),
}
ADD_ANOTHER = {
    MASCULINE: pgettext_lazy("masculine", "You may add another one below."),
    FEMININE: pgettext_lazy("feminine", "You may add another one below."),
    NEUTER: pgettext_lazy("neuter", "You may add another one below."),
}

# The request's attributes: the sentence waiting for Django's next success message, and the rows
# a list_editable list has saved so far.
PENDING = "admin_agreeing_message"
ROWS_SAVED = "admin_rows_saved"


class AgreeingMessagesMixin:
    """Put first among a ModelAdmin's bases, with `gender` and `counted` declared (see above)."""

    gender = None
    counted = None

    def object_message(self, sentences, obj, *, url=None, follow=None):
        """«Мероприятие «…» добавлено.» for one object: `sentences` is ADDED, CHANGED or DELETED,
        `url` makes the object's name a link, `follow` (EDIT_AGAIN, ADD_ANOTHER) is a second
        sentence."""
        name = inner_quotes(obj)
        shown = format_html('<a href="{}">{}</a>', url, name) if url else name
        message = format_html(
            str(sentences[self.gender]), name=capfirst(self.model._meta.verbose_name), obj=shown
        )
        if follow:
            message = format_html("{} {}", message, follow[self.gender])
        return message

    def count_message(self, sentence, count):
        """«Удалено: 3 мероприятия.»: `sentence` with the model's name counted."""
        return sentence % {"items": self.counted % {"count": count}}

    @contextmanager
    def posting(self, request, message):
        """Within the block, Django's next success message is `message`."""
        setattr(request, PENDING, message)
        try:
            yield
        finally:
            vars(request).pop(PENDING, None)

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        if level == messages.SUCCESS and hasattr(request, PENDING):
            message = vars(request).pop(PENDING)
        super().message_user(request, message, level, extra_tags, fail_silently)

    def response_add(self, request, obj, post_url_continue=None):
        # Django's buttons, read as ModelAdmin.response_add reads them.
        editable = self.has_change_permission(request, obj)
        follow = None
        if "_continue" in request.POST or (
            "_saveasnew" in request.POST and self.save_as_continue and editable
        ):
            follow = EDIT_AGAIN if editable else None
        elif "_addanother" in request.POST:
            follow = ADD_ANOTHER
        opts = obj._meta
        url = (
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
                current_app=self.admin_site.name,
            )
            if editable
            else None
        )
        with self.posting(request, self.object_message(ADDED, obj, url=url, follow=follow)):
            return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        follow = None
        if "_continue" in request.POST:
            follow = EDIT_AGAIN
        elif "_addanother" in request.POST:
            follow = ADD_ANOTHER
        with self.posting(request, self.object_message(CHANGED, obj, url=request.path, follow=follow)):
            return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        with self.posting(request, self.object_message(DELETED, obj_display)):
            return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        # The delete_selected action posts its count right after this; the queryset is already
        # read by then (len() counts no rows again).
        setattr(request, PENDING, self.count_message(gettext("Deleted %(items)s."), len(queryset)))
        super().delete_queryset(request, queryset)

    def changelist_view(self, request, extra_context=None):
        # A list_editable list's "Save": save_model counts the rows Django saves.
        if request.method == "POST" and "_save" in request.POST and self.list_editable:
            setattr(request, ROWS_SAVED, 0)
        try:
            return super().changelist_view(request, extra_context)
        finally:
            vars(request).pop(ROWS_SAVED, None)
            vars(request).pop(PENDING, None)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if hasattr(request, ROWS_SAVED):
            saved = getattr(request, ROWS_SAVED) + 1
            setattr(request, ROWS_SAVED, saved)
            setattr(request, PENDING, self.count_message(gettext("Changed %(items)s."), saved))
