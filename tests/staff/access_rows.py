"""Access-matrix rows for the staff app (collected by tests/test_access_matrix.py)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from staff.access import staff_record
from tests.factories import EmployeeFactory, TrainingFactory, pdf_bytes


def _employee_of(user):
    return staff_record(user)


def _photo_of_anna(personas):
    employee = _employee_of(personas["anna"])
    employee.photo.save("a.jpg", ContentFile(b"\xff\xd8\xff\xe0fake-jpeg"), save=True)
    return reverse("staff:photo", args=[employee.pk])


def _unlinked_employee_photo(personas):
    employee = EmployeeFactory()
    employee.photo.save("b.jpg", ContentFile(b"\xff\xd8\xff\xe0fake-jpeg"), save=True)
    return reverse("staff:photo", args=[employee.pk])


def _scan_of(employee):
    training = TrainingFactory(employee=employee)
    training.scan.save("c.pdf", ContentFile(pdf_bytes()), save=True)
    return reverse("staff:training_scan", args=[training.pk])


def _training_scan_of_anna(personas):
    return _scan_of(_employee_of(personas["anna"]))


def _unlinked_training_scan(personas):
    return _scan_of(EmployeeFactory())


def _admin_change_anna(personas):
    return reverse("admin:staff_employee_change", args=[_employee_of(personas["anna"]).pk])


OFFICE_PAGE = dict(anonymous=302, anna=403, boris=403, head=200, senior=200)

ROWS = [
    ("staff:self_evaluation", "/staff/self-evaluation/", OFFICE_PAGE),
    ("staff:self_evaluation_xlsx", "/staff/self-evaluation/xlsx/", OFFICE_PAGE),
    ("staff:my_page", "/staff/me/", dict(anonymous=302, anna=200, boris=200, head=404, senior=404)),
    (
        "staff:my_contacts_edit",
        "/staff/me/contacts/",
        dict(anonymous=302, anna=200, boris=200, head=404, senior=404),
    ),
    ("staff:photo", _photo_of_anna, dict(anonymous=302, anna=200, boris=404, head=200, senior=200)),
    ("staff:photo", _unlinked_employee_photo, dict(anonymous=302, anna=404, boris=404, head=200, senior=200)),
    # Certificate scans: the teacher's own and the office's; anyone else's is a 404.
    (
        "staff:training_scan",
        _training_scan_of_anna,
        dict(anonymous=302, anna=200, boris=404, head=200, senior=200),
    ),
    (
        "staff:training_scan",
        _unlinked_training_scan,
        dict(anonymous=302, anna=404, boris=404, head=200, senior=200),
    ),
    (
        "admin:staff_employee_changelist",
        "/admin/staff/employee/",
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
    (
        "admin:staff_employee_change",
        _admin_change_anna,
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
    (
        "admin:staff_employee_add",
        "/admin/staff/employee/add/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
    ),
    (
        "admin:staff_employee_import",
        "/admin/staff/employee/import/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
    ),
    (
        "admin:staff_employee_import_template",
        "/admin/staff/employee/import/template/",
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
    (
        "admin:staff_employee_attestation_calendar",
        "/admin/staff/employee/attestation-calendar/",
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
    (
        "admin:staff_employee_attestation_calendar_xlsx",
        "/admin/staff/employee/attestation-calendar/xlsx/",
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
    (
        "admin:staff_kindergartengroup_changelist",
        "/admin/staff/kindergartengroup/",
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
    (
        "admin:staff_training_changelist",
        "/admin/staff/training/",
        dict(anonymous=302, anna=302, boris=302, head=200, senior=200),
    ),
]
