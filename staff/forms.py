import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .documents import ScanField
from .images import ACCEPT_IMAGES, PhotoField
from .models import Employee, Training

# The admin's forms are made anew for each request (modelform_factory), inside its kindergarten's
# scope, so their choices of staff records and groups are the kindergarten's. These bases are made at
# import, outside any scope: their own fields are never shown, so they may read city-wide.
with scopes_disabled():

    class EmployeeAdminForm(forms.ModelForm):
        class Meta:
            model = Employee
            fields = [
                "surname",
                "name",
                "patronymic",
                "birth_date",
                "position",
                "groups",
                "user",
                "education_level",
                "education_pedagogical",
                "education_institution",
                "education_year",
                "education_speciality",
                "experience_start",
                "hire_date",
                "dismissal_date",
                "phone",
                "email",
                "photo",
            ]
            field_classes = {"photo": PhotoField}
            widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    class TrainingAdminForm(forms.ModelForm):
        """A course, retraining or degree; its certificate scan is checked by content like evidence."""

        class Meta:
            model = Training
            fields = [
                "employee",
                "kind",
                "programme",
                "provider",
                "hours",
                "start_date",
                "end_date",
                "certificate_number",
                "scan",
            ]
            field_classes = {"scan": ScanField}


class ContactsForm(forms.ModelForm):
    """What a teacher may change on her own record."""

    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    class Meta:
        model = Employee
        fields = ["phone", "email", "photo", "plan_mail_opt_out"]
        field_classes = {"photo": PhotoField}
        # A plain file input: the current photo is shown as a picture above the form, not as a link.
        widgets = {
            "photo": forms.FileInput(attrs={"accept": ACCEPT_IMAGES}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.photo:
            del self.fields["remove_photo"]


class SelfEvaluationDateForm(forms.Form):
    # The indicators look back up to 5 years and forward to no date: a date from this range has
    # the staff records it speaks of, and no arithmetic on it leaves the calendar.
    EARLIEST = datetime.date(1950, 1, 1)
    LATEST = datetime.date(2100, 12, 31)

    on = forms.DateField(
        label=_("On the date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if not self.EARLIEST <= on <= self.LATEST:
            raise forms.ValidationError(
                _("Choose a date from %(earliest)s to %(latest)s.")
                % {"earliest": self.EARLIEST.strftime("%d.%m.%Y"), "latest": self.LATEST.strftime("%d.%m.%Y")}
            )
        return on
