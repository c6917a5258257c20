"""A rating build ranks one kindergarten's teachers (`organization`): an existing install's builds
are its own kindergarten's. The scoring table and the recommendation criteria on file stay the city's
default (no kindergarten): every kindergarten reads it until it has a table of its own, so an existing
install scores exactly as before. Their uniqueness now holds per kindergarten and for the default."""

import django.db.models.deletion
from django.db import migrations, models


def built_for_our_kindergarten(apps, schema_editor):
    own = apps.get_model("kindergarten_portal", "Organization").objects.filter(is_own=True).first()
    if own is not None:
        apps.get_model("reports", "RatingBuild").objects.filter(organization__isnull=True).update(
            organization=own
        )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0010_kindergarten_of_every_record"),
        ("kindergarten_portal", "0004_organizations_at_the_ground"),
        ("reports", "0005_rating_row_build_without_own_index"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="scoringrule",
            name="scoring_rule_unique",
        ),
        migrations.AddField(
            model_name="ratingbuild",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rating_builds",
                to="kindergarten_portal.organization",
                verbose_name="kindergarten",
            ),
        ),
        migrations.AddField(
            model_name="recommendationcriterion",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="recommendation_criteria",
                to="kindergarten_portal.organization",
                verbose_name="kindergarten",
            ),
        ),
        migrations.AddField(
            model_name="scoringrule",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="scoring_rules",
                to="kindergarten_portal.organization",
                verbose_name="kindergarten",
            ),
        ),
        migrations.AlterField(
            model_name="recommendationcriterion",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("confirm_first", "confirm the first category"),
                    ("raise_to_first", "raise to the first category"),
                    ("confirm_highest", "confirm the highest category"),
                    ("raise_to_highest", "raise to the highest category"),
                ],
                max_length=20,
                verbose_name="outcome",
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendationcriterion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", True)),
                fields=("outcome",),
                name="criterion_once_per_outcome",
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendationcriterion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", False)),
                fields=("organization", "outcome"),
                name="criterion_once_per_outcome_per_kindergarten",
            ),
        ),
        migrations.AddConstraint(
            model_name="scoringrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", True)),
                fields=("item", "level", "result", "min_hours"),
                name="scoring_rule_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="scoringrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", False)),
                fields=("organization", "item", "level", "result", "min_hours"),
                name="scoring_rule_unique_per_kindergarten",
            ),
        ),
        migrations.RunPython(built_for_our_kindergarten, migrations.RunPython.noop),
    ]
