"""Names and months are unique per kindergarten: two kindergartens may each have a group «Солнышко», a
year-long series on the same theme, and publish the same month's plan. (Every row already has its
kindergarten: migrations staff 0010 and events 0013.)"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0013_kindergarten_of_events_and_plans"),
        ("kindergarten_portal", "0004_organizations_at_the_ground"),
        ("staff", "0010_kindergarten_of_every_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="publishedplan",
            name="published_plan_once_per_month",
        ),
        migrations.RemoveConstraint(
            model_name="series",
            name="series_theme_year_unique",
        ),
        migrations.AddConstraint(
            model_name="publishedplan",
            constraint=models.UniqueConstraint(
                fields=("organization", "year", "month"),
                name="published_plan_once_per_month",
                violation_error_message="The kindergarten's plan of this month is already published.",
            ),
        ),
        migrations.AddConstraint(
            model_name="series",
            constraint=models.UniqueConstraint(
                fields=("host", "theme", "academic_year"),
                name="series_theme_year_unique",
                violation_error_message="The kindergarten already has a year-long series on this theme this year.",
            ),
        ),
    ]
