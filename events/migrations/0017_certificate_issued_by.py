"""A certificate names the kindergarten that issued it (`issued_by`, the host of its event when it was
issued) and is that kindergarten's row: every certificate on record gets its event's host."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def issued_by_the_host(apps, schema_editor):
    EventCertificate = apps.get_model("events", "EventCertificate")
    Participation = apps.get_model("events", "Participation")
    ExternalParticipant = apps.get_model("events", "ExternalParticipant")
    for holder_model, key in (
        (Participation, "participation"),
        (ExternalParticipant, "external_participant"),
    ):
        host = holder_model.objects.filter(pk=OuterRef(f"{key}_id")).values("event__host_id")[:1]
        EventCertificate.objects.filter(**{f"{key}__isnull": False}).update(issued_by=Subquery(host))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0016_kindergarten_required"),
        ("kindergarten_portal", "0005_organization_help_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventcertificate",
            name="issued_by",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates_issued",
                to="kindergarten_portal.organization",
                verbose_name="issued by",
            ),
        ),
        migrations.RunPython(issued_by_the_host, migrations.RunPython.noop),
    ]
