from django import forms
from django.utils.translation import gettext_lazy as _

from .images import ACCEPT_IMAGES, PhotoField
from .models import Employee


class EmployeeAdminForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "surname",
            "name",
            "patronymic",
            "position",
            "groups",
            "user",
            "education_level",
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


class ContactsForm(forms.ModelForm):
    """What a teacher may change on her own record."""

    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    class Meta:
        model = Employee
        fields = ["phone", "email", "photo"]
        field_classes = {"photo": PhotoField}
        # A plain file input: the current photo is shown as a picture above the form, not as a link.
        widgets = {"photo": forms.FileInput(attrs={"accept": ACCEPT_IMAGES})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.photo:
            del self.fields["remove_photo"]
