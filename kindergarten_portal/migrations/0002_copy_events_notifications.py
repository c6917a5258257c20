"""The events app's outbox (events.Notification) becomes the portal's one outbox: every row, sent
or not, is copied with its key (so a notice queued before is not queued again), its text and its
delivery state. events 0003 then deletes the old table."""

from django.db import migrations


def copy_notifications(apps, schema_editor):
    Notification = apps.get_model("events", "Notification")
    OutboxMessage = apps.get_model("kindergarten_portal", "OutboxMessage")
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                # The kinds are named per app now ("reminder" → "events.reminder").
                kind=f"events.{old.kind}",
                key=old.key,
                recipient=old.recipient,
                subject=old.subject,
                body=old.body,
                created_at=old.created_at,
                sent_at=old.sent_at,
                error=old.error,
                attempts=1 if old.sent_at or old.error else 0,
            )
            for old in Notification.objects.order_by("pk")
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kindergarten_portal", "0001_initial"),
        ("events", "0002_alter_participation_options"),
    ]

    operations = [migrations.RunPython(copy_notifications, migrations.RunPython.noop)]
