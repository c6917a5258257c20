"""The admin's delete confirmation of a staff or event record names the approved portfolio entries
that will stay without their source (templates/admin/entries_kept_on_delete.html)."""

from django import template
from django.db import models

from portfolios.derived import entries_kept_on_delete as _entries_kept_on_delete

register = template.Library()


@register.simple_tag
def entries_kept_on_delete(objects):
    """`objects`: the object (delete view) or the queryset (the "delete selected" action)."""
    if objects is None or objects == "":
        return []
    if isinstance(objects, models.Model):
        objects = [objects]
    return _entries_kept_on_delete(objects)
