"""Staff services take data, not forms."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from staff.access import staff_record
from staff.models import Employee
from staff.services import employee_contacts_save
from tests.portfolios.factories import jpeg_bytes


def test_contacts_saved_from_data_and_email_mirrored_to_account(anna):
    employee = staff_record(anna)
    employee_contacts_save(
        employee=employee,
        phone="+7 912 000-11-22",
        email="anna.new@example.org",
        photo=ContentFile(jpeg_bytes(), "photo.jpg"),
    )
    stored = Employee.objects.select_related("user").get(pk=employee.pk)
    assert (stored.phone, stored.email, stored.user.email) == (
        "+7 912 000-11-22",
        "anna.new@example.org",
        "anna.new@example.org",
    )
    assert stored.photo.name.startswith("staff/photos/photo")

    employee_contacts_save(employee=stored, phone="", email="anna.new@example.org", remove_photo=True)
    assert not Employee.objects.get(pk=employee.pk).photo


def test_contacts_with_a_bad_email_refused_and_nothing_saved(anna):
    employee = staff_record(anna)
    with pytest.raises(ValidationError) as refused:
        employee_contacts_save(employee=employee, phone="+7 912 000-11-22", email="not-an-address")
    assert list(refused.value.message_dict) == ["email"]
    assert Employee.objects.get(pk=employee.pk).phone == ""
