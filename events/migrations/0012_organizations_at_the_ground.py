"""Organization and NetworkMembership now live in kindergarten_portal (see its migration 0004): only
Django's record moves, the tables and their foreign keys stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0011_participation_sharing_format"),
        ("kindergarten_portal", "0004_organizations_at_the_ground"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="organizer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events_organized",
                        to="kindergarten_portal.organization",
                        verbose_name="organizer",
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="co_organizers",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="events_co_organized",
                        to="kindergarten_portal.organization",
                        verbose_name="co-organizers",
                    ),
                ),
                migrations.DeleteModel(
                    name="NetworkMembership",
                ),
                migrations.DeleteModel(
                    name="Organization",
                ),
            ],
            database_operations=[],
        ),
    ]
