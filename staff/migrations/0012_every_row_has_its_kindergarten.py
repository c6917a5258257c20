"""Staff records and groups that still have no kindergarten (written before every writer named it) become ours,
so that the next migration can make the key required."""

from django.db import migrations

from kindergarten_portal.migration_helpers import fill


def every_row_ours(apps, schema_editor):
    fill(apps, "staff", {"employee": "organization", "kindergartengroup": "organization"})


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0011_unique_per_kindergarten"),
    ]

    operations = [
        migrations.RunPython(every_row_ours, migrations.RunPython.noop),
    ]
