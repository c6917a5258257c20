from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kindergarten_portal.typography import days
from staff.images import PhotoField
from staff.models import Employee

from .models import (
    SHARING_FORMATS,
    Direction,
    EducationalArea,
    EventFormat,
    EventPhoto,
    ExternalParticipant,
    Level,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    RecommendationReason,
)


class EventFilterForm(forms.Form):
    """Filters of the month plan and calendar (format, level, direction). A plain form: django-filter
    built a new form class on every request, which cost more than the rest of the month's header."""

    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("any")), *EventFormat.choices], required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("any")), *Level.choices], required=False)
    direction = forms.ModelChoiceField(
        label=_("Direction"), queryset=Direction.objects.all(), required=False, empty_label=_("any")
    )

    @property
    def narrows(self):
        """A valid choice of at least one filter was made."""
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def filter(self, queryset):
        """The events the valid choices keep (an invalid choice filters nothing)."""
        if not self.narrows:
            return queryset
        data = self.cleaned_data
        if data["format"]:
            queryset = queryset.filter(format=data["format"])
        if data["level"]:
            queryset = queryset.filter(level=data["level"])
        if data["direction"]:
            queryset = queryset.filter(direction=data["direction"])
        return queryset

    def selects(self):
        """The selects as plain data for the month header: name, id, label, options [(value, label)]
        and the selected value (Django's widget templates, an include per option, cost more than
        the rest of the header; these print in a plain loop)."""
        selects = []
        for bound in self:
            value = bound.data if self.is_bound else bound.initial
            selects.append(
                {
                    "name": bound.html_name,
                    "id": bound.id_for_label,
                    "label": bound.label,
                    "options": [(str(option), str(label)) for option, label in bound.field.choices],
                    "selected": "" if value in (None, "") else str(value),
                }
            )
        return selects


class ExternalRegistrationForm(forms.ModelForm):
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Registration needs your consent to personal-data processing.")},
    )

    class Meta:
        model = ExternalParticipant
        fields = ["full_name", "organization", "position", "email", "consent"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        # 152-FZ art. 9: the consent names the operator, the purpose, the data and the term.
        self.fields["consent"].label = format_html(
            '{} <a href="{}">{}</a>',
            _(
                "I consent to %(operator)s (the operator) processing my name, organization, position and "
                "e-mail to register me for this event, send me its confirmation and certificate and keep "
                "the sign-in sheet. The data are kept for %(days)s after the event and then removed; "
                "I can withdraw the consent by writing to the operator."
            )
            % {"operator": operator, "days": days(settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS)},
            reverse("privacy"),
            _("Privacy policy"),
        )


class SharingDoneForm(forms.Form):
    OTHER = "other"

    form = forms.ChoiceField(label=_("Form of sharing"))
    done_on = forms.DateField(
        label=_("Shared on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    account = forms.CharField(
        label=_("How and to whom"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_(
            "For example: a consultation for the educators of the middle groups at the teachers' meeting."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [
            ("", _("— choose —")),
            *[(value, EventFormat(value).label) for value in SHARING_FORMATS],
            (self.OTHER, _("another form (describe it below)")),
        ]

    def clean_form(self):
        """The form as the participation stores it: empty for another one."""
        value = self.cleaned_data["form"]
        return "" if value == self.OTHER else value


class RecommendForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"),
        queryset=Employee.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=RecommendationReason.choices)
    area = forms.ChoiceField(
        label=_("Educational area"),
        choices=[("", "—"), *EducationalArea.choices],
        required=False,
        help_text=_("Needed when the reason is a difficulty in an educational area."),
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = Employee.objects.current()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RecommendationReason.DIFFICULTY and not cleaned.get("area"):
            self.add_error("area", _("Name the educational area of the difficulty."))
        return cleaned


class ParticipantsAddForm(forms.Form):
    """Teachers who came without signing up, chosen by name (searched as she types), and their role."""

    teachers = forms.ModelMultipleChoiceField(label=_("Teachers"), queryset=Employee.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipationRole.choices, initial=ParticipationRole.LISTENER
    )
    attended = forms.BooleanField(label=_("Mark them as attended"), required=False, initial=True)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        _search_teachers(self.fields["teachers"], admin_site)


def _search_teachers(field, admin_site):
    """Make `field` choose current staff in the admin's own search-as-you-type widget, fed by the
    staff admin's search (ё or е alike)."""
    # Set before the queryset, which hands the widget its choices.
    field.widget = AutocompleteSelectMultiple(Participation._meta.get_field("teacher"), admin_site)
    field.queryset = Employee.objects.current()


class AttendanceForm(forms.Form):
    """An event's attendance in one list of ticks (`attended`: ids of its participations, from
    `rows`, the event's participations already read), plus teachers who came without signing up,
    found by name (`walk_ins`)."""

    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    walk_ins = forms.ModelMultipleChoiceField(
        label=_("Came without signing up"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=_("Find them by name: they are added as listeners and marked as attended."),
    )

    def __init__(self, *args, rows, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["attended"].choices = [(row.pk, str(row.pk)) for row in rows]
        _search_teachers(self.fields["walk_ins"], admin_site)

    def ticked(self) -> set[int]:
        """The ids ticked on the page: as sent when the form was posted (kept when it is refused),
        else the participations already marked as attended."""
        if self.is_bound:
            return {int(pk) for pk in self.data.getlist("attended") if pk.isdigit()}
        return {row.pk for row in self.rows if row.status == ParticipationStatus.ATTENDED}


class EventPhotoForm(forms.ModelForm):
    """Checks an uploaded photo by its content and stores it as a resized JPEG."""

    class Meta:
        model = EventPhoto
        fields = ["image", "caption"]
        field_classes = {"image": PhotoField}


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the records; the verification page says only that it is revoked."),
    )


# The version of the text below: change it with the text (it is shown beside the consent).
RESULTS_NAME_CONSENT_VERSION = "1"


class ResultsNameConsentForm(forms.Form):
    """Her separate consent to her name in published event results and their feed (152-FZ art. 10.1)."""

    consent = forms.BooleanField(required=False)

    def __init__(self, *args, operator: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "I consent to %(operator)s (the operator) disseminating my surname, name and patronymic in "
            "the published results of the events I took part in, on its site and in the results feed. "
            "Purpose: to show the kindergarten's participation in network events. The consent is valid "
            "until I withdraw it; I can withdraw it here at any time, and my name is then taken off "
            "those pages at once. (Consent text, version %(version)s.)"
        ) % {"operator": operator, "version": RESULTS_NAME_CONSENT_VERSION}


class KindergartenCreateForm(forms.Form):
    """The city administrator's form that puts a kindergarten on the portal with its first senior
    educator (kindergarten_portal.kindergartens.kindergarten_create checks the rest)."""

    name = forms.CharField(label=_("Kindergarten's full name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    slug = forms.CharField(
        label=_("Address on the portal"),
        max_length=60,
        required=False,
        help_text=_(
            "Latin letters, digits and hyphens, e.g. ds-12-solnyshko; made from the name if left empty."
        ),
    )
    username = forms.CharField(label=_("Senior educator's username"), max_length=150)
    email = forms.EmailField(
        label=_("Senior educator's e-mail"), help_text=_("Her link to set her password is e-mailed here.")
    )
