from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Employee
from .services import photo_prepare


class PhotoFieldMixin:
    """Checks the uploaded photo by its content and replaces it with a resized JPEG."""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            return photo_prepare(photo)
        return photo


class EmployeeAdminForm(PhotoFieldMixin, forms.ModelForm):
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


class ContactsForm(PhotoFieldMixin, forms.ModelForm):
    """What a teacher may change on her own record."""

    class Meta:
        model = Employee
        fields = ["phone", "email", "photo"]
        widgets = {"photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})}


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
