"""Ship the default scoring table and recommendation criteria (reports/defaults.py)."""

from django.db import migrations

from reports.defaults import load_defaults


def forwards(apps, schema_editor):
    load_defaults(
        apps.get_model("reports", "ScoringRule"), apps.get_model("reports", "RecommendationCriterion")
    )


def backwards(apps, schema_editor):
    apps.get_model("reports", "ScoringRule").objects.all().delete()
    apps.get_model("reports", "RecommendationCriterion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
