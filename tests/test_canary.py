"""A canary kindergarten: «Берёзка» holds one row of every model a kindergarten owns, each text
carrying the marker КАНАРЕЙКА, and none of our kindergarten's people meets the marker — on any page
of the portal that is not public and needs no object, in any admin list, export, workbook or
calendar, nor in the e-mails the scheduled sending queues for them.

The marker is kept out of what the city shares (the kindergarten's name, the partner organizing an
event): those are legitimately seen by everyone. The mini-site is unpublished and the event closed,
so the public pages (which read city-wide by design, kindergarten_portal.tenancy.public_page) have
nothing of the canary to show either; they are left out of the walk all the same."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kindergarten_portal.models import OutboxMessage
from staff.access import staff_record
from tests.canary import MARK, canary_kindergarten
from tests.test_access_matrix import MATRIX

pytestmark = pytest.mark.django_db

OURS = ["senior", "head", "anna", "boris"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def canary(personas):
    return canary_kindergarten(personas)


def _text(response):
    """What the response shows: its body, a workbook's every cell."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode(errors="replace")


def _pages(event):
    """Every page of no object that is not public: the access matrix's rows of a plain address (one
    a visitor may open left out), every admin list, the canary event's month."""
    pages = {url for _name, url, expected in MATRIX if isinstance(url, str) and expected["anonymous"] != 200}
    pages |= {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    }
    month = timezone.localtime(event.start)
    for name in ("events:month", "events:calendar", "events:month_print", "events:month_xlsx"):
        pages.add(reverse(name, kwargs={"year": month.year, "month": month.month}))
    pages.add(reverse("reports:latest_workbook"))
    return sorted(pages)


def _exports(client):
    """The admin's exports made by an action on the whole list: the staff list, the month's plan."""
    for changelist, action in (
        ("admin:staff_employee_changelist", "export_xlsx"),
        ("admin:events_event_changelist", "export_plan"),
    ):
        yield (
            f"{changelist} {action}",
            client.post(
                reverse(changelist), {"action": action, "select_across": "1", "_selected_action": ["0"]}
            ),
        )


@pytest.mark.parametrize("persona", OURS)
def test_our_people_never_meet_the_canary(client, personas, canary, persona):
    client.force_login(personas[persona])
    seen = []
    for url in _pages(canary["event"]):
        response = client.get(url, follow=True)
        if MARK in _text(response):
            seen.append(url)
    for url in canary["calendars"].values():
        if MARK in _text(client.get(url)):
            seen.append(url)
    for label, response in _exports(client):
        if MARK in _text(response):
            seen.append(label)
    assert not seen, f"{persona} sees «Берёзка»'s records on {seen}"


def test_her_own_office_does_see_the_canary(client, canary):
    """The positive control: the scan finds the marker where it belongs."""
    client.force_login(canary["metodist2"])
    assert MARK in _text(client.get(reverse("admin:staff_employee_changelist")))
    assert MARK in _text(client.get(reverse("admin:events_eventcertificate_changelist")))
    exported = dict(_exports(client))
    assert MARK in _text(exported["admin:staff_employee_changelist export_xlsx"])
    assert MARK in _text(client.get(reverse("reports:latest_workbook")))
    month = timezone.localtime(canary["event"].start)
    assert MARK in _text(client.get(reverse("events:month_xlsx", args=[month.year, month.month])))
    assert MARK in _text(client.get(reverse("portfolios:review")))
    assert MARK in _text(client.get(reverse("reports:self_reports")))
    client.force_login(canary["vera"])
    assert MARK in _text(client.get(reverse("events:my_calendar"), follow=True))


def test_the_scheduled_sending_writes_to_our_people_nothing_of_the_canary(personas, canary):
    call_command("send_notifications", stdout=io.StringIO())
    addresses = {personas[name].email for name in OURS} | {
        staff_record(personas[name]).mail_address for name in ("anna", "boris")
    }
    ours = [
        message
        for message in OutboxMessage.objects.filter(recipient__in=addresses)
        if MARK in message.subject or MARK in message.body
    ]
    assert not ours, [(message.recipient, message.kind) for message in ours]
    # The control: the canary's own people were written to about it — her kindergarten's plan to
    # vera, the reminder of her overdue course to her and to her kindergarten's senior educator
    # (each went to every kindergarten's people once).
    theirs = OutboxMessage.objects.filter(body__contains=MARK)
    assert theirs.filter(recipient="vera@example.org", kind="events.monthly_plan").exists()
    assert theirs.filter(recipient="vera@example.org", kind="staff.attestation_reminder").exists()
    assert theirs.filter(recipient=canary["metodist2"].email, kind="staff.attestation_reminder").exists()
