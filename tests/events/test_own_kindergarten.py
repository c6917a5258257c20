"""Our kindergarten's name and head live in one record: edit it, and every printed header changes."""

import datetime
import importlib
import io

import pytest
import time_machine
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events.models import (
    EventStatus,
    Participation,
)
from events.selectors import own_kindergarten
from events.services import attendance_mark
from kindergarten_portal.models import GENERIC_KINDERGARTEN_NAME, Organization, OrganizationKind
from portfolios.forms import MiniSiteForm
from portfolios.models import MiniSite
from staff.access import staff_record
from staff.models import Employee
from tests.events.factories import EventFactory, OrganizationFactory, ParticipationFactory, our_kindergarten

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 10, 15, 10, 0))
OLD, NEW = "МБДОУ «Детский сад № 42»", "МБДОУ «Детский сад № 12 „Солнышко“»"


def _pdf_text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _printed(client, anna, senior, event, participation, coming):
    """What each printed document and consent says, read back."""
    client.force_login(anna)
    plan = client.get(reverse("events:month_print", args=[2026, 10])).content.decode()
    certificate = _pdf_text(client.get(reverse("events:my_certificate", args=[participation.pk])))
    # Her record read afresh, as each request's sign-in reads it (the fixture's user keeps its first read).
    site = MiniSite(
        teacher=Employee._base_manager.select_related("organization").get(pk=staff_record(anna).pk)
    )
    minisite_consent = str(MiniSiteForm(instance=site).fields["consent"].label)
    client.force_login(senior)
    sheet = _pdf_text(client.get(reverse("admin:events_event_sign_in_sheet", args=[event.pk])))
    client.logout()
    page = client.get(reverse("events:open_detail", args=[coming.pk])).content.decode()
    registration = page[page.index('id="registration-form"') :]
    privacy = client.get(reverse("privacy")).content.decode()
    return {
        "plan": plan,
        "certificate": certificate,
        "sign-in sheet": sheet,
        "registration consent": registration,
        "mini-site consent": minisite_consent,
        "privacy policy": privacy,
    }


@time_machine.travel(datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_renaming_our_kindergarten_changes_every_printed_header(client, anna, senior):
    our_kindergarten(OLD, head_name="Петрова А. А.")
    event = EventFactory(
        title="Семинар «Игра»",
        start=START,
        end=START + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
        is_open=True,
        organizer=OrganizationFactory(name="ИМЦ Кировского района"),
    )
    coming = EventFactory(
        title="Открытый показ",
        start=START + datetime.timedelta(days=30),
        end=START + datetime.timedelta(days=30, hours=1),
        is_open=True,
    )
    participation = ParticipationFactory(event=event, teacher=staff_record(anna))
    attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)

    before = _printed(client, anna, senior, event, participation, coming)
    for where, text in before.items():
        assert "№ 42" in text, where
    assert "Петрова А. А." in before["certificate"]
    assert f"{OLD}, " in before["sign-in sheet"]  # her organization beside her name

    # One edit, in the admin's record of our kindergarten.
    own = Organization.objects.get(is_own=True)
    own.name, own.head_name = NEW, "Сидорова Е. В."
    own.save()

    after = _printed(client, anna, senior, event, participation, coming)
    for where, text in after.items():
        assert "№ 12" in text and "№ 42" not in text, where
    assert "Сидорова Е. В." in after["certificate"] and "Петрова" not in after["certificate"]


def test_without_our_kindergarten_on_record_a_generic_name_and_no_head():
    OrganizationFactory(name="Детский сад № 5")  # a partner, not ours
    own = own_kindergarten()
    assert own.pk is None and own.name == GENERIC_KINDERGARTEN_NAME and own.head_name == ""
    assert own.kind == OrganizationKind.KINDERGARTEN


def test_our_kindergarten_is_one_query(django_assert_num_queries):
    our_kindergarten(NEW)
    with django_assert_num_queries(1):
        assert own_kindergarten().name == NEW


# ---------------------------------------------------------------- the data migration

migration = importlib.import_module("events.migrations.0009_own_kindergarten_from_settings")


def _migrate(monkeypatch, **env):
    for name in ("KINDERGARTEN_NAME", "KINDERGARTEN_HEAD_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # The models as they were when it ran (Organization was the events app's then).
    state = MigrationLoader(connection).project_state(("events", "0009_own_kindergarten_from_settings"))
    migration.own_kindergarten_from_settings(state.apps, None)


def test_migration_renames_our_kindergarten_from_the_old_settings(monkeypatch):
    our_kindergarten(OLD)
    _migrate(monkeypatch, KINDERGARTEN_NAME=NEW, KINDERGARTEN_HEAD_NAME="Сидорова Е. В.")
    (own,) = Organization.objects.filter(is_own=True)
    assert (own.name, own.head_name) == (NEW, "Сидорова Е. В.")


def test_migration_creates_our_kindergarten_when_there_is_none(monkeypatch):
    _migrate(monkeypatch, KINDERGARTEN_NAME=NEW)
    own = Organization.objects.get(is_own=True)
    assert (own.name, own.kind, own.head_name) == (NEW, OrganizationKind.KINDERGARTEN, "")


def test_migration_marks_a_partner_under_that_name_as_ours(monkeypatch):
    partner = OrganizationFactory(name=NEW)
    _migrate(monkeypatch, KINDERGARTEN_NAME=NEW)
    assert Organization.objects.get(is_own=True).pk == partner.pk


def test_migration_without_the_settings_changes_nothing(monkeypatch):
    our_kindergarten(OLD)
    _migrate(monkeypatch)
    assert Organization.objects.get(is_own=True).name == OLD
    assert Organization.objects.count() == 1
