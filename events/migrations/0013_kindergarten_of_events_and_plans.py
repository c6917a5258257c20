"""Events, year-long series and published plans are kept by a kindergarten's office (`host`,
`organization`): an existing install's rows are its own kindergarten's (made or found by staff 0010).
The organizer stays what it was: a partner off the portal still organizes, our office keeps the row."""

import django.db.models.deletion
from django.db import migrations, models


def kept_by_our_kindergarten(apps, schema_editor):
    own = apps.get_model("kindergarten_portal", "Organization").objects.filter(is_own=True).first()
    if own is None:
        return  # a new install: its first event gets its kindergarten when written
    apps.get_model("events", "Event").objects.filter(host__isnull=True).update(host=own)
    apps.get_model("events", "Series").objects.filter(host__isnull=True).update(host=own)
    apps.get_model("events", "PublishedPlan").objects.filter(organization__isnull=True).update(
        organization=own
    )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0010_kindergarten_of_every_record"),
        ("events", "0012_organizations_at_the_ground"),
        ("kindergarten_portal", "0004_organizations_at_the_ground"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="host",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events_hosted",
                to="kindergarten_portal.organization",
                verbose_name="host",
            ),
        ),
        migrations.AddField(
            model_name="publishedplan",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="published_plans",
                to="kindergarten_portal.organization",
                verbose_name="kindergarten",
            ),
        ),
        migrations.AddField(
            model_name="series",
            name="host",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="series_hosted",
                to="kindergarten_portal.organization",
                verbose_name="host",
            ),
        ),
        migrations.RunPython(kept_by_our_kindergarten, migrations.RunPython.noop),
    ]
