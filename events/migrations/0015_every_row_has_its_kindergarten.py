"""Events, year-long series and published plans that still have no kindergarten (written before every writer named it) become ours,
so that the next migration can make the key required."""

from django.db import migrations

from kindergarten_portal.migration_helpers import fill


def every_row_ours(apps, schema_editor):
    fill(apps, "events", {"event": "host", "series": "host", "publishedplan": "organization"})


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0014_unique_per_kindergarten"),
    ]

    operations = [
        migrations.RunPython(every_row_ours, migrations.RunPython.noop),
    ]
