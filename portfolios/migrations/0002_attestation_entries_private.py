"""Entries derived from attestation decisions were made public with no way to hide them; they carry
order numbers, so they become private until the teacher chooses to show them (as new ones are)."""

from django.db import migrations


def hide_attestation_entries(apps, schema_editor):
    PortfolioEntry = apps.get_model("portfolios", "PortfolioEntry")
    PortfolioEntry.objects.filter(source_type="staff.categorydecision").update(is_public=False)


class Migration(migrations.Migration):
    dependencies = [
        ("portfolios", "0001_initial"),
    ]

    operations = [migrations.RunPython(hide_attestation_entries, migrations.RunPython.noop)]
