"""Every URL of the portal × every persona → the expected status code.

Later features add their rows here. 302 for anonymous means "sent to sign in"; 404 means the
object is filtered out by the query (someone else's record looks like a missing one).
"""

import pytest
from django.urls import get_resolver, resolve, reverse

from tests.factories import EmployeeFactory

PERSONAS = ["anonymous", "anna", "boris", "head", "senior"]


def _employee_of(user):
    return user.employee


def _photo_of_anna(personas):
    employee = _employee_of(personas["anna"])
    from django.core.files.base import ContentFile

    employee.photo.save("a.jpg", ContentFile(b"\xff\xd8\xff\xe0fake-jpeg"), save=True)
    return reverse("staff:photo", args=[employee.pk])


def _unlinked_employee_photo(personas):
    employee = EmployeeFactory()
    from django.core.files.base import ContentFile

    employee.photo.save("b.jpg", ContentFile(b"\xff\xd8\xff\xe0fake-jpeg"), save=True)
    return reverse("staff:photo", args=[employee.pk])


def _admin_change_anna(personas):
    return reverse("admin:staff_employee_change", args=[_employee_of(personas["anna"]).pk])


# (URL name, path or builder, {persona: status}); several rows may share a URL name.
MATRIX = [
    ("home", "/", dict(anonymous=302, anna=200, boris=200, head=200, senior=200)),
    ("login", "/accounts/login/", dict(anonymous=200, anna=200, boris=200, head=200, senior=200)),
    (
        "password_change",
        "/accounts/password_change/",
        dict(anonymous=302, anna=200, boris=200, head=200, senior=200),
    ),
    (
        "password_reset",
        "/accounts/password_reset/",
        dict(anonymous=200, anna=200, boris=200, head=200, senior=200),
    ),
    ("staff:my_page", "/staff/me/", dict(anonymous=302, anna=200, boris=200, head=404, senior=404)),
    (
        "staff:my_contacts_edit",
        "/staff/me/contacts/",
        dict(anonymous=302, anna=200, boris=200, head=404, senior=404),
    ),
    ("staff:photo", _photo_of_anna, dict(anonymous=302, anna=200, boris=404, head=200, senior=200)),
    ("staff:photo", _unlinked_employee_photo, dict(anonymous=302, anna=404, boris=404, head=200, senior=200)),
    ("admin:index", "/admin/", dict(anonymous=302, anna=302, boris=302, head=200, senior=200)),
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
        "admin:auth_user_changelist",
        "/admin/auth/user/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
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
OWN_NAMESPACES = {"staff", "events", "portfolios", "reports"}


def _row_id(row):
    return row[0] + ("" if isinstance(row[1], str) else f"[{row[1].__name__.strip('_')}]")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name,url,expected", MATRIX, ids=[_row_id(row) for row in MATRIX])
def test_access_matrix(client, personas, persona, name, url, expected):
    if callable(url):
        url = url(personas)
    assert resolve(url).view_name == name
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == expected[persona], f"{persona} GET {url}"
    if expected[persona] == 302 and persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith(
            "/admin/login/"
        )


def test_matrix_covers_every_url_of_our_apps():
    """A new URL of staff/events/portfolios/reports (or the admin's own views) must join the matrix."""
    own = {"home"}
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in OWN_NAMESPACES:
            own |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if getattr(p, "name", None)}
    covered = {row[0] for row in MATRIX}
    missing = own - covered
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"
