"""What the migrations that give every row its kindergarten share (they run with historical models)."""

GENERIC_NAME = "МБДОУ «Детский сад»"


def our_kindergarten(apps):
    """The organization marked as ours, made under the generic name (marked ours, address
    «mbdou-detskii-sad» or, taken, one with its number) when none is: a row that has no kindergarten
    yet is ours, as it always was."""
    Organization = apps.get_model("kindergarten_portal", "Organization")
    own = Organization.objects.filter(is_own=True).first()
    if own is None:
        own = Organization.objects.filter(name=GENERIC_NAME).first() or Organization(
            name=GENERIC_NAME, kind="kindergarten"
        )
        own.is_own = True
        own.save()
    if not own.slug:
        slug = "mbdou-detskii-sad"
        if Organization.objects.filter(slug=slug).exclude(pk=own.pk).exists():
            slug = f"{slug}-{own.pk}"
        own.slug = slug
        own.save(update_fields=["slug"])
    return own


def fill(apps, app_label, model_fields):
    """Give every row of `model_fields` ({model: key}) without a kindergarten ours (made only if one lacks it)."""
    rows = {
        model: apps.get_model(app_label, model).objects.filter(**{f"{key}__isnull": True})
        for model, key in model_fields.items()
    }
    if not any(queryset.exists() for queryset in rows.values()):
        return
    own = our_kindergarten(apps)
    for model, queryset in rows.items():
        queryset.update(**{model_fields[model]: own})
