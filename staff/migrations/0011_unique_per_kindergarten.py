"""Names and months are unique per kindergarten: two kindergartens may each have a group «Солнышко», a
year-long series on the same theme, and publish the same month's plan. (Every row already has its
kindergarten: migrations staff 0010 and events 0013.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kindergarten_portal", "0004_organizations_at_the_ground"),
        ("staff", "0010_kindergarten_of_every_record"),
    ]

    operations = [
        migrations.AlterField(
            model_name="kindergartengroup",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AddConstraint(
            model_name="kindergartengroup",
            constraint=models.UniqueConstraint(
                fields=("organization", "name"),
                name="group_name_once_per_kindergarten",
                violation_error_message="The kindergarten already has a group of this name.",
            ),
        ),
    ]
