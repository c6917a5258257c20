"""get_FOO_display() without Django's per-call cost.

Django's Model._get_FIELD_display builds dict(make_hashable(field.flatchoices)) on every call; hashing
the choices forces every lazy label of the field, a gettext each. A list of 40 events showing format
and level made about a thousand gettext calls that way. This mixin keeps one {value: label} dict per
field (labels stay lazy, so each call still answers in the active language) and looks the value up.
"""

from django.utils.encoding import force_str


class ChoiceLabels:
    """Model mixin (before models.Model in the bases): get_FOO_display() reads a dict made once per field."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_labels_by_value")
        if labels is None:
            try:
                labels = dict(field.flatchoices)
            except TypeError:  # unhashable choice values: Django's own way
                return super()._get_FIELD_display(field)
            field._labels_by_value = labels
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
