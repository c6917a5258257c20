"""Rating builds that still have no kindergarten (written before every writer named it) become ours,
so that the next migration can make the key required."""

from django.db import migrations

from kindergarten_portal.migration_helpers import fill


def every_row_ours(apps, schema_editor):
    fill(apps, "reports", {"ratingbuild": "organization"})


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_kindergarten_of_builds_and_tables"),
    ]

    operations = [
        migrations.RunPython(every_row_ours, migrations.RunPython.noop),
    ]
