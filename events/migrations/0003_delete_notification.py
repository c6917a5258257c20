"""The events' outbox moved to the portal's one outbox (kindergarten_portal.OutboxMessage); its rows
were copied there by kindergarten_portal 0002, which must run first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_alter_participation_options"),
        ("kindergarten_portal", "0002_copy_events_notifications"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Notification",
        ),
    ]
