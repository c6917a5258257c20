"""Every certificate has the kindergarten that issued it (filled by 0017): the key becomes required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0017_certificate_issued_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="eventcertificate",
            name="issued_by",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates_issued",
                to="kindergarten_portal.organization",
                verbose_name="issued by",
            ),
        ),
    ]
