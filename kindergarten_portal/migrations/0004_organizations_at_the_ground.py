"""Organizations move down to the ground (kindergarten_portal) so that staff can use them: a staff
record and a group belong to a kindergarten (issue «Several kindergartens»). The tables keep their
names (events_organization, events_networkmembership): only Django's record of which app holds the
models changes, with their content types, so permissions, admin history and group rights carry over.
An organization on the portal gets an address (`slug`, for /k/<slug>/); a person's office role in a
kindergarten gets a row (`Role`)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["organization", "networkmembership"]


def content_types_move(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="kindergarten_portal", model=model).exists():
            ContentType.objects.filter(app_label="events", model=model).update(
                app_label="kindergarten_portal"
            )


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="events", model=model).exists():
            ContentType.objects.filter(app_label="kindergarten_portal", model=model).update(
                app_label="events"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kindergarten_portal", "0003_outbox_sender_retries"),
        ("events", "0011_participation_sharing_format"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organization",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=255, unique=True, verbose_name="name")),
                        (
                            "short_name",
                            models.CharField(blank=True, max_length=100, verbose_name="short name"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("kindergarten", "kindergarten"),
                                    ("library", "library"),
                                    ("polyclinic", "children's polyclinic"),
                                    ("additional_education", "institution of additional education"),
                                    ("school", "school"),
                                    ("imc", "city methodological centre (IMC)"),
                                    ("gmo", "city methodological association (GMO)"),
                                    ("other", "other"),
                                ],
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "is_own",
                            models.BooleanField(
                                default=False,
                                help_text="Events it organizes are internal ones.",
                                verbose_name="our kindergarten",
                            ),
                        ),
                        ("address", models.CharField(blank=True, max_length=255, verbose_name="address")),
                        (
                            "head_name",
                            models.CharField(
                                blank=True,
                                help_text="Our kindergarten: the head who signs certificates, e.g. Сидорова Е. В.",
                                max_length=255,
                                verbose_name="head",
                            ),
                        ),
                        (
                            "contact_person",
                            models.CharField(blank=True, max_length=255, verbose_name="contact person"),
                        ),
                        ("phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("website", models.URLField(blank=True, verbose_name="website")),
                    ],
                    options={
                        "verbose_name": "organization",
                        "verbose_name_plural": "organizations",
                        "db_table": "events_organization",
                        "ordering": ["name"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("is_own", True)),
                                fields=("is_own",),
                                name="one_own_organization",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="NetworkMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("joined", models.DateField(verbose_name="joined")),
                        ("left", models.DateField(blank=True, null=True, verbose_name="left")),
                        (
                            "agreement_number",
                            models.CharField(blank=True, max_length=50, verbose_name="agreement number"),
                        ),
                        (
                            "agreement_date",
                            models.DateField(blank=True, null=True, verbose_name="agreement date"),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="memberships",
                                to="kindergarten_portal.organization",
                                verbose_name="organization",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "network membership",
                        "verbose_name_plural": "network membership",
                        "db_table": "events_networkmembership",
                        "ordering": ["-joined"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("left__isnull", True), ("left__gte", models.F("joined")), _connector="OR"
                                ),
                                name="membership_left_after_joined",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_back),
        migrations.AddField(
            model_name="organization",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Latin letters, digits and hyphens, e.g. ds-12-solnyshko: its public pages' address.",
                max_length=60,
                null=True,
                unique=True,
                verbose_name="address on the portal",
            ),
        ),
        migrations.CreateModel(
            name="Role",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("senior_educator", "Senior educator"), ("head", "Head")],
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="roles",
                        to="kindergarten_portal.organization",
                        verbose_name="kindergarten",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "role in a kindergarten",
                "verbose_name_plural": "roles in kindergartens",
                "ordering": ["organization", "role", "user"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "organization", "role"), name="one_role_per_kindergarten"
                    )
                ],
            },
        ),
    ]
