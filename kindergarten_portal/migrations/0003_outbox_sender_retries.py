import django.utils.timezone
from django.db import migrations, models


def mark_sent(apps, schema_editor):
    # The old request-time delivery set sent_at when it sent (a refused send cleared it again).
    OutboxMessage = apps.get_model("kindergarten_portal", "OutboxMessage")
    OutboxMessage.objects.filter(sent_at__isnull=False).update(status="sent")


class Migration(migrations.Migration):
    dependencies = [("kindergarten_portal", "0002_copy_events_notifications")]

    operations = [
        migrations.RenameField("outboxmessage", "error", "last_error"),
        migrations.AddField(
            model_name="outboxmessage",
            name="link_user_id",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="account of the set-password link"
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[("queued", "queued"), ("sent", "sent"), ("failed", "not sent")],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="next attempt"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ),
        migrations.RunPython(mark_sent, migrations.RunPython.noop),
    ]
