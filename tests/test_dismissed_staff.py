"""One policy for dismissed staff, in every app: no self-service after the dismissal date, her last
working day (403 with the reason), her records stay for the office, her public pages are gone (404).

The self-service URLs are taken from the access-matrix rows: every signed-in page a teacher reaches
for herself (and the POST-only actions, posted).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from staff.access import current_teacher, self_service_teacher, staff_record
from staff.models import Employee
from tests.portfolios.factories import EntryFactory
from tests.test_access_matrix import MATRIX, _row_id

pytestmark = pytest.mark.django_db

# Signed-in pages that are not her own data: the start page (which says why the rest is closed),
# the password change, the plan's redirect, and the photo and certificate scans (access-checked like
# any staff record's files: a dismissed teacher sees only public files, so they answer 404).
NOT_SELF_SERVICE = {"home", "password_change", "events:plan", "staff:photo", "staff:training_scan"}

SELF_SERVICE = [
    row
    for row in MATRIX
    if row[2]["anonymous"] == 302
    and row[2]["anna"] in (200, 302, 405)
    and row[0] not in NOT_SELF_SERVICE
    and not row[0].startswith("admin:")
]


def _dismiss(user, on):
    # As the staff card does it (a save): the receivers release her places and forget cached pages.
    employee = Employee.objects.get(user=user)
    employee.dismissal_date = on
    employee.save()


def test_the_list_holds_every_apps_self_service():
    names = {row[0] for row in SELF_SERVICE}
    assert {
        "staff:my_page",
        "staff:my_contacts_edit",
        "events:my",
        "events:sign_up",
        "events:sharing",
        "portfolios:entry_add",
        "portfolios:entry_submit",
        "portfolios:minisite_edit",
        "portfolios:carry",
        "reports:my_self_report",
        "reports:self_report",
    } <= names


@pytest.mark.parametrize("name,url,expected", SELF_SERVICE, ids=[_row_id(row) for row in SELF_SERVICE])
def test_dismissed_teacher_is_refused_everywhere(client, personas, name, url, expected):
    if callable(url):
        url = url(personas)
    _dismiss(personas["anna"], timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(personas["anna"])
    response = client.post(url) if expected["anna"] == 405 else client.get(url)
    assert response.status_code == 403, url
    assert 'data-test="reason"' in response.content.decode()


@pytest.mark.parametrize(
    "name,url,expected", SELF_SERVICE[:4], ids=[_row_id(row) for row in SELF_SERVICE[:4]]
)
@pytest.mark.parametrize("days_ahead", [0, 1])
def test_a_dismissal_today_or_ahead_changes_nothing_yet(client, personas, name, url, expected, days_ahead):
    """On her last working day (the dismissal date) her own pages are still hers."""
    if callable(url):
        url = url(personas)
    _dismiss(personas["anna"], timezone.localdate() + datetime.timedelta(days=days_ahead))
    client.force_login(personas["anna"])
    response = client.post(url) if expected["anna"] == 405 else client.get(url)
    assert response.status_code == expected["anna"]


def test_the_office_still_sees_her_records(client, anna, senior):
    entry = EntryFactory(teacher=staff_record(anna), title="Диплом конкурса «Педагог года»")
    _dismiss(anna, datetime.date(2026, 5, 31))
    client.force_login(senior)
    assert "Педагог года" in client.get(reverse("portfolios:entry_detail", args=[entry.pk])).content.decode()
    change = client.get(reverse("admin:staff_employee_change", args=[staff_record(anna).pk]))
    assert change.status_code == 200 and "Антонова" in change.content.decode()
    assert client.get(reverse("admin:portfolios_portfolioentry_change", args=[entry.pk])).status_code == 200


def test_her_start_page_says_why(client, anna):
    _dismiss(anna, datetime.date(2026, 5, 31))
    client.force_login(anna)
    body = client.get(reverse("home")).content.decode()
    assert 'data-test="dismissed"' in body and "31.05.2026" in body
    assert reverse("portfolios:my_portfolio") not in body  # the menu no longer offers her pages


def test_her_mini_site_is_gone(client, personas):
    url = next(row[1] for row in MATRIX if _row_id(row) == "site:page[anna_site]")(personas)
    assert client.get(url).status_code == 200
    _dismiss(personas["anna"], timezone.localdate())
    assert client.get(url).status_code == 404


def test_current_teacher_on_a_date(anna):
    _dismiss(anna, datetime.date(2026, 5, 31))
    anna.refresh_from_db()
    assert current_teacher(anna, on=datetime.date(2026, 5, 30)) == staff_record(anna)
    # Her last working day: her own pages (her certificates) are still hers.
    assert current_teacher(anna, on=datetime.date(2026, 5, 31)) == staff_record(anna)
    assert current_teacher(anna, on=datetime.date(2026, 6, 1)) is None
    with pytest.raises(PermissionDenied, match="31.05.2026"):
        self_service_teacher(anna)
