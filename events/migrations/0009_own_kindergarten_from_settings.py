"""Our kindergarten's name and head move from the KINDERGARTEN_NAME / KINDERGARTEN_HEAD_NAME settings
(now retired) to the organization marked as our own, so that they are edited in one place.

Where a setting is set when this runs (in a settings module or the environment), it creates that
organization or updates it; where neither is set, nothing changes.
"""

import os

from django.conf import settings
from django.db import migrations

GENERIC_NAME = "МБДОУ «Детский сад»"


def _setting(name):
    return (getattr(settings, name, None) or os.environ.get(name, "")).strip()


def own_kindergarten_from_settings(apps, schema_editor):
    name, head = _setting("KINDERGARTEN_NAME"), _setting("KINDERGARTEN_HEAD_NAME")
    if not name and not head:
        return
    Organization = apps.get_model("events", "Organization")
    own = Organization.objects.filter(is_own=True).first()
    if own is None and name:
        # A partner record under that very name is the kindergarten itself (names are unique).
        own = Organization.objects.filter(name=name).first()
    if own is None:
        own = Organization(name=name or GENERIC_NAME, kind="kindergarten")
    own.is_own = True
    if name and not Organization.objects.filter(name=name).exclude(pk=own.pk).exists():
        own.name = name
    if head:
        own.head_name = head
    own.save()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_organization_head_name"),
    ]

    operations = [
        migrations.RunPython(own_kindergarten_from_settings, migrations.RunPython.noop),
    ]
